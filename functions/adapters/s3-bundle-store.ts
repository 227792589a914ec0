import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NotFoundError } from '../../shared/src/errors';
import type { BundleStore, ProjectFiles } from '../../shared/src/ports/bundle-store';
import { checkBundlePath } from './project-files';

let defaultClient: S3Client | undefined;

/** Project bundles as one JSON object per plan in the stack's bundle bucket (encrypted, versioned). */
export class S3BundleStore implements BundleStore {
  private readonly client: S3Client;

  constructor(
    private readonly bucket: string,
    client?: S3Client,
  ) {
    this.client = client ?? (defaultClient ??= new S3Client({}));
  }

  async put(planId: string, files: ProjectFiles): Promise<void> {
    for (const file of Object.keys(files)) checkBundlePath(file);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: keyOf(planId), Body: JSON.stringify(files), ContentType: 'application/json' }),
    );
  }

  async get(planId: string): Promise<ProjectFiles> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: keyOf(planId) }));
      return JSON.parse((await object.Body?.transformToString('utf-8')) ?? '{}') as ProjectFiles;
    } catch (error) {
      if (error instanceof NoSuchKey) throw new NotFoundError(`no project bundle for plan '${planId}'`);
      throw error;
    }
  }
}

function keyOf(planId: string): string {
  return `bundles/${planId}.json`;
}
