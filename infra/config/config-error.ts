import { SchedulerError } from '../../shared/src/errors';

/** A stack setting (CDK context or stack prop) is missing or invalid. The message names the key. */
export class MeshcronConfigError extends SchedulerError {
  constructor(message: string) {
    super(message);
    this.name = 'MeshcronConfigError';
  }
}
