/**
 * Clock stamps (`hlc`) and the office's calendar. A stamp starts with the milliseconds of the
 * moment, zero-padded to 15 digits, so stamps sort by time; days and months are the server's
 * local ones, as the people reading a report count them.
 */

/** The stamp that sorts before every stamp of that local day. */
export function stampAt(date: string): string {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return String(new Date(y, m - 1, d).getTime()).padStart(15, '0');
}

/** The local day (`YYYY-MM-DD`) a stamp falls on. */
export function dayOfStamp(stamp: string): string {
	const date = new Date(Number(stamp.slice(0, 15)));
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function nextDay(date: string): string {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
