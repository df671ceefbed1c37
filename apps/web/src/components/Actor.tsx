/** Who acted on a case, by name and the role they acted in (timeline, notes); "you" for the reader. */
import { ACTING_ROLE_LABELS } from '@app/domain/acting-role';
import { labelOf } from '../labels';

export function actorWords(a: { id: string | null | undefined; name: string | null | undefined; role: string | null | undefined }, meId?: string): string {
  if (!a.id) return 'the system';
  const role = a.role ? labelOf(ACTING_ROLE_LABELS, a.role) : '';
  const who = a.id === meId ? 'you' : (a.name ?? 'a former user');
  return role ? `${who} (${role})` : who;
}

export function ActorLine({
  id,
  name,
  role,
  meId,
}: {
  id: string | null | undefined;
  name: string | null | undefined;
  role: string | null | undefined;
  meId?: string;
}) {
  return <span className="tr-actor"> · by {actorWords({ id, name, role }, meId)}</span>;
}
