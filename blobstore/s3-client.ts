import { S3Client } from '@aws-sdk/client-s3';

/** How to reach the object store (`blobs.s3` in the configuration, without the buckets). */
export interface S3Endpoint {
  /** An S3-compatible server's URL; absent for AWS itself. */
  endpoint?: string | undefined;
  region: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`: what most compatible servers need. */
  forcePathStyle?: boolean | undefined;
}

/**
 * An S3 client. Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, a profile, an instance role), never from Assetflow's configuration file;
 * tests pass the credentials of the server they started.
 */
export function createS3Client(
  settings: S3Endpoint,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle ?? false,
    ...(credentials ? { credentials } : {}),
    // A request that hangs (a dead load balancer) fails after a while instead of holding an upload.
    requestHandler: { requestTimeout: 60_000, connectionTimeout: 5_000 },
    maxAttempts: 3,
  });
}
