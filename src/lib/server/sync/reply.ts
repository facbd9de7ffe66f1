/** A reply of the sync endpoints: a status code and a JSON body. */
import type { ProtocolError } from '../../sync/protocol';

export interface Reply<T> {
	status: number;
	body: T | ProtocolError;
}

export function refuse(
	status: number,
	error: ProtocolError['error'],
	message: string
): Reply<never> {
	return { status, body: { error, message } };
}
