/** The words of a step in reading order, for read-aloud. */
import type { Step } from '../course/schema';
import { plainText } from '../text';

export function stepSpeech(step: Step, practiceScreenId?: string): string {
	const parts: string[] = [];
	if (step.title) parts.push(step.title);
	switch (step.kind) {
		case 'explain':
			parts.push(plainText(step.text));
			break;
		case 'choice':
			parts.push(step.question);
			if (step.text) parts.push(plainText(step.text));
			parts.push(...step.options.map((o) => o.text));
			break;
		case 'tap':
			parts.push(step.prompt);
			break;
		case 'input':
			parts.push(step.prompt);
			if (step.text) parts.push(plainText(step.text));
			break;
		case 'order':
			parts.push(step.prompt, ...step.items.map((i) => i.text));
			break;
		case 'practice': {
			parts.push(step.prompt);
			const screen = step.screens.find((s) => s.id === (practiceScreenId ?? step.start));
			if (screen) parts.push(screen.task);
			break;
		}
	}
	// Each part becomes its own sentence group, even where the author left off the full stop.
	return parts
		.map((p) => p.trim())
		.filter(Boolean)
		.join('\n\n');
}
