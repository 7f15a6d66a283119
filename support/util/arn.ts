/** "arn:aws:s3:::bucket/path/app.env" → "bucket". */
export function bucketOf(s3Arn: string): string {
  return s3Arn.replace(/^arn:[^:]+:s3:::/, '').split('/')[0];
}
