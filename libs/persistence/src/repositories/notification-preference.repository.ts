import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** Per-category notification modes; a category without a row is 'immediate'. */
@Injectable()
export class NotificationPreferenceRepository {
  constructor(private readonly ds: DataSource) {}

  async forUser(userId: string, em: EntityManager = this.ds.manager): Promise<Record<string, string>> {
    const rows: { category: string; mode: string }[] = await em.query(`SELECT category, mode FROM notification_preference WHERE user_id = $1`, [userId]);
    return Object.fromEntries(rows.map((r) => [r.category, r.mode]));
  }

  /** Upserts the categories given; the others keep their mode. */
  async save(userId: string, modes: Record<string, string>): Promise<void> {
    const entries = Object.entries(modes);
    if (!entries.length) return;
    const params: unknown[] = [userId];
    const values = entries.map(([category, mode]) => {
      params.push(category, mode);
      return `($1, $${params.length - 1}, $${params.length})`;
    });
    await this.ds.query(
      `INSERT INTO notification_preference (user_id, category, mode) VALUES ${values.join(', ')}
       ON CONFLICT (user_id, category) DO UPDATE SET mode = EXCLUDED.mode, updated_at = now()`,
      params,
    );
  }
}
