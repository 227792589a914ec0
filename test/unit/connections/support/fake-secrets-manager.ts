import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  type Tag,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';

/** One secret as the fake keeps it. */
export interface FakeSecret {
  value: string;
  kmsKeyId: string | undefined;
  tags: Map<string, string>;
  /** Set while the secret is scheduled for deletion. */
  deletedWithWindowDays?: number;
}

/**
 * A stateful stand-in for Secrets Manager on top of aws-sdk-client-mock: enough behaviour (names taken by
 * deleted secrets, prefix filters, pages, tags) for the connection store contract to run on it, while every
 * command stays recorded for exact assertions. Errors are the SDK's own exception classes.
 */
export class FakeSecretsManager {
  readonly client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly mock: AwsClientStub<SecretsManagerClient>;
  readonly secrets = new Map<string, FakeSecret>();
  /** ListSecrets page size cap, small so paging is exercised. */
  pageSize = 2;

  constructor() {
    const m = mockClient(this.client);
    m.on(CreateSecretCommand).callsFake((input: { Name: string; SecretString: string; KmsKeyId?: string; Tags?: Tag[] }) => {
      const existing = this.secrets.get(input.Name);
      if (existing?.deletedWithWindowDays !== undefined) {
        throw new InvalidRequestException({
          message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
          $metadata: {},
        });
      }
      if (existing) throw new ResourceExistsException({ message: `The operation failed because the secret ${input.Name} already exists.`, $metadata: {} });
      this.secrets.set(input.Name, { value: input.SecretString, kmsKeyId: input.KmsKeyId, tags: toMap(input.Tags) });
      return { Name: input.Name, ARN: arnOf(input.Name) };
    });
    m.on(PutSecretValueCommand).callsFake((input: { SecretId: string; SecretString: string }) => {
      this.live(input.SecretId).value = input.SecretString;
      return { Name: input.SecretId };
    });
    m.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => ({ Name: input.SecretId, SecretString: this.live(input.SecretId).value }));
    m.on(DeleteSecretCommand).callsFake((input: { SecretId: string; RecoveryWindowInDays?: number }) => {
      this.live(input.SecretId).deletedWithWindowDays = input.RecoveryWindowInDays ?? 30;
      return { Name: input.SecretId };
    });
    m.on(RestoreSecretCommand).callsFake((input: { SecretId: string }) => {
      const secret = this.secrets.get(input.SecretId);
      if (!secret) throw notFound();
      delete secret.deletedWithWindowDays;
      return { Name: input.SecretId };
    });
    m.on(TagResourceCommand).callsFake((input: { SecretId: string; Tags: Tag[] }) => {
      const secret = this.live(input.SecretId);
      for (const [k, v] of toMap(input.Tags)) secret.tags.set(k, v);
      return {};
    });
    m.on(UntagResourceCommand).callsFake((input: { SecretId: string; TagKeys: string[] }) => {
      const secret = this.live(input.SecretId);
      for (const k of input.TagKeys) secret.tags.delete(k);
      return {};
    });
    m.on(ListSecretsCommand).callsFake((input: { Filters?: { Key: string; Values: string[] }[]; MaxResults?: number; NextToken?: string }) => {
      const prefixes = (input.Filters ?? []).filter((f) => f.Key === 'name').flatMap((f) => f.Values.map((v) => v.toLowerCase()));
      const names = [...this.secrets.keys()]
        .filter((name) => this.secrets.get(name)?.deletedWithWindowDays === undefined)
        .filter((name) => prefixes.length === 0 || prefixes.some((p) => name.toLowerCase().startsWith(p)))
        .sort();
      const start = Number(input.NextToken ?? '0');
      const size = Math.min(input.MaxResults ?? 100, this.pageSize);
      const page = names.slice(start, start + size);
      return {
        SecretList: page.map((name) => ({
          Name: name,
          ARN: arnOf(name),
          Tags: [...(this.secrets.get(name)?.tags ?? new Map<string, string>())].map(([Key, Value]) => ({ Key, Value })),
        })),
        ...(start + size < names.length ? { NextToken: String(start + size) } : {}),
      };
    });
    this.mock = m;
  }

  /** Inputs of every call of `command`, in order. */
  inputsOf<T>(command: abstract new (...args: never[]) => { input: T }): T[] {
    return this.mock.commandCalls(command as never).map((call) => (call.args[0] as { input: T }).input);
  }

  /** Names of the commands sent, in order. */
  commandNames(): string[] {
    return this.mock.calls().map((call) => (call.args[0] as object).constructor.name);
  }

  restore(): void {
    this.mock.restore();
  }

  private live(secretId: string): FakeSecret {
    const secret = this.secrets.get(secretId);
    if (!secret) throw notFound();
    if (secret.deletedWithWindowDays !== undefined) {
      throw new InvalidRequestException({ message: 'You tried to perform the operation on a secret that is currently marked deleted.', $metadata: {} });
    }
    return secret;
  }
}

function notFound(): ResourceNotFoundException {
  return new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
}

function arnOf(name: string): string {
  return `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;
}

function toMap(tags: readonly Tag[] | undefined): Map<string, string> {
  return new Map((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}
