# language: ko
@EP @image-pull @korean
기능: 이미지 레이어는 S3 게이트웨이 엔드포인트로 받는다
  ECR 이미지 레이어는 S3에 있다. 게이트웨이 엔드포인트는 서브넷이 아니라 라우팅 테이블의 경로이므로,
  모든 태스크 서브넷의 라우팅 테이블(명시적 연결이 없으면 VPC의 기본 라우팅 테이블)에 S3 접두사
  목록 경로가 있어야 한다. 키워드는 한국어(조건, 그러면, 그리고)로 쓰고, 단계 문장은
  docs/STEPS.md에 있는 영어 문장을 그대로 쓴다.

  배경:
    조건 every service and scheduled task in the account

  @EP-05 @medium
  시나리오: 모든 태스크 서브넷의 라우팅 테이블이 S3를 게이트웨이 엔드포인트로 보낸다
    그러면 the route table of every task subnet routes S3 through the gateway endpoint

  @RT-01 @critical
  시나리오: 태스크가 쓰는 경로는 블랙홀이 아니고, NAT 게이트웨이는 사용 가능하며 퍼블릭이다
    그러면 no route the tasks depend on is a blackhole, and every NAT gateway used is available and public
