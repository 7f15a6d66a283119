// Every way an AWS call can fail ends in one line naming the call and what to do. The live-path
// tests (live-aws.test.ts) produce most of these over the wire; these are the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeAwsError, DEFAULT_LIMITS, ReadDenied } from '../support/aws/gateway';
import { UsageError } from '../support/errors';

const serviceError = (name: string, status: number, message = 'm', attempts = 1) => Object.assign(new Error(message), { name, $fault: status < 500 ? 'client' : 'server', $metadata: { httpStatusCode: status, attempts } });

test('each kind of failure is one line that names the call and says what to do', () => {
  const cases: [unknown, RegExp][] = [
    [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), /^no valid AWS credentials for ec2:DescribeVpcs in ap-northeast-2 \(Could not load credentials from any providers\): set AWS_PROFILE/],
    [serviceError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'), /^AWS rejected the credentials for ec2:DescribeVpcs in ap-northeast-2 \(InvalidClientTokenId: The security token included in the request is invalid\.\): check AWS_PROFILE or the access keys/],
    [serviceError('InvalidClientTokenId', 403, 'The security token included in the request is expired'), /have expired \(InvalidClientTokenId\): refresh them/],
    [serviceError('ExpiredTokenException', 400), /^the AWS credentials for ec2:DescribeVpcs in ap-northeast-2 have expired \(ExpiredTokenException\)/],
    [Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), /^ec2:DescribeVpcs in ap-northeast-2 got no answer within 120 s \(the ec2 endpoint of ap-northeast-2\)/],
    [serviceError('Unknown', 429, 'UnknownError', 5), /^ec2:DescribeVpcs in ap-northeast-2 was still throttled \(HTTP 429, 5 attempts\)/],
    [serviceError('InternalError', 500, 'We encountered an internal error.', 5), /^ec2:DescribeVpcs in ap-northeast-2: AWS answered HTTP 500 \(InternalError: We encountered an internal error\., 5 attempts\): a service problem; run again later$/],
    [Object.assign(new Error('Unexpected token < in JSON at position 0\n  at parse'), { name: 'SyntaxError' }), /^ec2:DescribeVpcs in ap-northeast-2: the answer from the ec2 endpoint of ap-northeast-2 is not an AWS API response \(SyntaxError: Unexpected token < in JSON at position 0\)/],
    [Object.assign(new Error('getaddrinfo ENOTFOUND ec2.ap-northest-2.amazonaws.com'), { code: 'ENOTFOUND', $endpoint: 'https://ec2.ap-northest-2.amazonaws.com' }), /^ec2:DescribeVpcs in ap-northeast-2: cannot reach https:\/\/ec2\.ap-northest-2\.amazonaws\.com \(ENOTFOUND\): check AWS_REGION/],
  ];
  for (const [error, expected] of cases) {
    const described = describeAwsError('ec2:DescribeVpcs', error, 'ap-northeast-2', DEFAULT_LIMITS);
    assert.ok(described instanceof UsageError, String(error));
    assert.match(described.message, expected);
    assert.ok(!described.message.includes('\n'), `one line: ${described.message}`);
  }
});

test('a denial names the action to grant and the policy, and says which operation it was', () => {
  const described = describeAwsError('iam:GetAccountAuthorizationDetails', serviceError('AccessDenied', 403), 'ap-northeast-2');
  assert.ok(described instanceof ReadDenied);
  assert.equal(described.operation, 'iam:GetAccountAuthorizationDetails');
  assert.equal(described.message, 'iam:GetAccountAuthorizationDetails was denied in ap-northeast-2 (AccessDenied): grant "iam:GetAccountAuthorizationDetails" to the identity running the suite (see iam/readonly-policy.json)');
});
