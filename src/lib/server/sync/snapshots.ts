/** Stored rows in the shape the wire contract sends them. */
import type { Selectable } from 'kysely';
import type { LearnerSnapshot } from '../../sync/protocol';
import type { LearnersTable } from '../db/schema';

export function learnerSnapshot(l: Selectable<LearnersTable>): LearnerSnapshot {
	return {
		id: l.id,
		name: l.name,
		avatar: l.avatar,
		lang: l.lang,
		createdAt: l.created_at,
		stamps: { name: l.name_hlc, avatar: l.avatar_hlc, lang: l.lang_hlc }
	};
}
