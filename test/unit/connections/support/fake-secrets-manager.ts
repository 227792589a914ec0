import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';

/** One secret as the fake keeps it. */
export interface FakeSecret {
  value: string;
  kmsKeyId: string | undefined;
  /** Set while the secret is scheduled for deletion. */
  deletedWithWindowDays?: number;
}

/**
 * A stateful stand-in for Secrets Manager on top of aws-sdk-client-mock: enough behaviour (names taken by
 * secrets scheduled for deletion, restore, values) for the connection store contract to run on it, while
 * every command stays recorded for exact assertions. Errors are the SDK's own exception classes.
 */
export class FakeSecretsManager {
  readonly client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly mock: AwsClientStub<SecretsManagerClient>;
  readonly secrets = new Map<string, FakeSecret>();

  constructor() {
    const m = mockClient(this.client);
    m.on(CreateSecretCommand).callsFake((input: { Name: string; SecretString: string; KmsKeyId?: string }) => {
      const existing = this.secrets.get(input.Name);
      if (existing?.deletedWithWindowDays !== undefined) {
        throw new InvalidRequestException({
          message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
          $metadata: {},
        });
      }
      if (existing) throw new ResourceExistsException({ message: `The operation failed because the secret ${input.Name} already exists.`, $metadata: {} });
      this.secrets.set(input.Name, { value: input.SecretString, kmsKeyId: input.KmsKeyId });
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
