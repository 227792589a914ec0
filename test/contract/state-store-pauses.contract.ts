import { PauseConflictError } from '../../shared/src/pause/pause-conflict-error';
import type { PauseRecord, StateStore } from '../../shared/src/ports/state-store';
import { T0 } from './state-store-fixtures';

/**
 * The pause section of the StateStore contract (called from state-store.contract.ts, so both stores run it).
 * `store` returns the fresh store of the current test.
 */

function pause(environment: string, model: string | undefined, overrides: Partial<PauseRecord> = {}): PauseRecord {
  return {
    environment,
    pauseId: model === undefined ? 'env' : `model:${model}`,
    ...(model === undefined ? {} : { model }),
    reason: 'upstream feed is late',
    createdBy: 'ana@example.com',
    createdTs: T0,
    ...overrides,
  };
}

export function describePauseContract(store: () => StateStore): void {
  describe('pauses', () => {
    it('round-trips every field, lists an environment\'s pauses by id and no others', async () => {
      // Arrange
      const whole = pause('prod', undefined, { reason: 'maintenance — ünïcode kept' });
      const orders = pause('prod', 'shop.orders');
      const { reason: _none, ...bare } = pause('prod', 'shop.customers');
      const elsewhere = pause('dev', 'shop.orders');

      // Act
      for (const p of [orders, elsewhere, whole, bare]) await store().putPause(p);

      // Assert
      expect(await store().listPauses('prod')).toEqual([whole, bare, orders]);
      expect(await store().listPauses('dev')).toEqual([elsewhere]);
      expect(await store().listPauses('staging')).toEqual([]);
      expect((await store().listPauses('prod'))[1]).not.toHaveProperty('reason');
    });

    it('refuses a second pause with the same id and keeps the first untouched', async () => {
      // Arrange
      const first = pause('prod', 'shop.orders', { createdBy: 'ana' });
      await store().putPause(first);

      // Act
      const second = store().putPause(pause('prod', 'shop.orders', { createdBy: 'bo', reason: 'other', createdTs: T0 + 1 }));

      // Assert
      await expect(second).rejects.toThrow(PauseConflictError);
      await expect(second).rejects.toMatchObject({ name: 'PauseConflictError', existing: first });
      expect(await store().listPauses('prod')).toEqual([first]);
    });

    it('lets exactly one of two concurrent pauses of the same id win', async () => {
      const results = await Promise.allSettled([
        store().putPause(pause('prod', undefined, { createdBy: 'a' })),
        store().putPause(pause('prod', undefined, { createdBy: 'b' })),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await store().listPauses('prod')).toHaveLength(1);
    });

    it('deletes a pause and returns it; deleting again returns nothing', async () => {
      // Arrange
      const orders = pause('prod', 'shop.orders');
      const whole = pause('prod', undefined);
      await store().putPause(orders);
      await store().putPause(whole);

      // Act
      const removed = await store().deletePause('prod', 'model:shop.orders');
      const again = await store().deletePause('prod', 'model:shop.orders');

      // Assert
      expect(removed).toEqual(orders);
      expect(again).toBeUndefined();
      expect(await store().deletePause('dev', 'env')).toBeUndefined();
      expect(await store().listPauses('prod')).toEqual([whole]);
    });

    it('accepts the same id again once the pause is deleted', async () => {
      await store().putPause(pause('prod', undefined, { createdTs: T0 }));
      await store().deletePause('prod', 'env');
      const renewed = pause('prod', undefined, { createdTs: T0 + 5 });
      await store().putPause(renewed);
      expect(await store().listPauses('prod')).toEqual([renewed]);
    });
  });
}
