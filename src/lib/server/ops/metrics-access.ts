/**
 * Who may read the metrics: whoever sends `Authorization: Bearer <METRICS_TOKEN>`. Both sides
 * are hashed before the comparison, so it takes the same time whatever the length or the
 * first wrong character of a guess.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'off' | 'refused' | 'allowed';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function metricsAccess(
	configuredToken: string | undefined,
	authorization: string | null
): MetricsAccess {
	if (!configuredToken) return 'off';
	const offered = authorization?.match(/^Bearer (\S+)$/)?.[1];
	if (!offered) return 'refused';
	return timingSafeEqual(sha256(offered), sha256(configuredToken)) ? 'allowed' : 'refused';
}
