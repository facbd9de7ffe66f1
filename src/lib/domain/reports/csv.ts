/**
 * CSV as spreadsheet programs in German offices open it: UTF-8 with a byte order mark (so
 * umlauts show right), semicolons (the comma is the decimal sign here), CRLF line ends, and
 * every field quoted when it needs to be. A cell that starts like a formula is defused, so a
 * learner named "=HYPERLINK(…)" cannot run anything in the coordinator's spreadsheet.
 */
export const BOM = '\uFEFF';
export const SEPARATOR = ';';

function cell(value: string | number): string {
	let text = String(value);
	if (/^[=+\-@\t\r]/.test(text) && typeof value !== 'number') text = `'${text}`;
	return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(
	header: readonly string[],
	rows: readonly (readonly (string | number)[])[]
): string {
	const lines = [header, ...rows].map((row) => row.map(cell).join(SEPARATOR));
	return BOM + lines.join('\r\n') + '\r\n';
}
