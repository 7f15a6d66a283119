// Private ECR images as a task definition names them, and how the loader asks ECR about them:
// DescribeImages per repository, up to 100 image IDs a call. ECR answers a call naming an image it
// does not hold with ImageNotFoundException for the whole call (DescribeImagesResponse has no
// per-image failures), so a batch that fails that way is split in halves until each image has its
// own answer: one call per repository when every image exists, a few more per missing one.
import type { ImageIdentifier } from '@aws-sdk/client-ecr';

/** "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.2@sha256:…": registry, region, repository, tag and digest. */
const ECR_IMAGE_REFERENCE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._\-/]*?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

export interface EcrImageReference {
  /** The account whose registry holds the repository. */
  registryId: string;
  region: string;
  repository: string;
  /** The tag asked for; "latest" when the image names neither a tag nor a digest. */
  tag?: string;
  /** The digest asked for: it wins over the tag when both are given, as Docker pulls by it. */
  digest?: string;
}

/** A private ECR image's parts, or undefined for any other registry (Docker Hub, ghcr.io, public.ecr.aws). */
export function parseEcrImageReference(image: string): EcrImageReference | undefined {
  const match = image.match(ECR_IMAGE_REFERENCE);
  if (!match) return undefined;
  const [, registryId, region, repository, tag, digest] = match;
  return { registryId, region, repository, ...(digest ? { digest } : { tag: tag ?? 'latest' }) };
}

/** What DescribeImages is asked for this reference: its digest, else its tag. */
export function imageIdOf(ref: EcrImageReference): ImageIdentifier {
  return ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag };
}

/** "tag v2.4.1" or "digest sha256:…", for messages. */
export function describeImageId(id: ImageIdentifier): string {
  return id.imageDigest ? `digest ${id.imageDigest}` : `tag ${id.imageTag}`;
}

export function imageIdKey(id: ImageIdentifier): string {
  return id.imageDigest ? `@${id.imageDigest}` : `:${id.imageTag}`;
}
