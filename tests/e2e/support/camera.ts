/**
 * A still picture for Chromium's fake camera: a QR code as a Y4M video file, so a test can
 * "hold a card in front of the camera". Chromium reads the file when the camera starts.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';

/** One file per test worker; the worker's browser is launched pointing at it. */
export const FAKE_CAMERA_FILE = join(tmpdir(), `lernlotse-camera-${process.pid}.y4m`);

export const FAKE_CAMERA_ARGS = [
	'--use-fake-device-for-media-stream',
	'--use-fake-ui-for-media-stream',
	`--use-file-for-fake-video-capture=${FAKE_CAMERA_FILE}`
];

export function showToCamera(text: string, file = FAKE_CAMERA_FILE): void {
	const width = 640;
	const height = 480;
	const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const size = qr.modules.size;
	const scale = Math.floor(Math.min(width, height) / (size + 8));
	const left = Math.floor((width - size * scale) / 2);
	const top = Math.floor((height - size * scale) / 2);
	const luma = Buffer.alloc(width * height, 235);
	for (let y = 0; y < size * scale; y++) {
		for (let x = 0; x < size * scale; x++) {
			if (qr.modules.get(Math.floor(y / scale), Math.floor(x / scale))) {
				luma[(top + y) * width + left + x] = 16;
			}
		}
	}
	const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
	const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
	writeFileSync(file, Buffer.concat([header, frame, frame]));
}
