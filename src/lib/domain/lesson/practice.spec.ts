import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
	PracticeStep,
	type PracticeScreen,
	type PracticeStep as Practice,
	type SimElement
} from '../course/schema';
import { formScreen, practiceStep, type PracticeScreenInput } from '../course/test-factory';
import { press, screenOf, type PracticeValues } from './practice';

/** The factory's practice (form → mail → done), as the schema outputs it. */
function practice(screens?: PracticeScreenInput[]): Practice {
	return v.parse(PracticeStep, practiceStep(screens ? { screens } : {}));
}

function element(screen: PracticeScreen, id: string): SimElement {
	const found = screen.elements.find((e) => e.id === id);
	if (!found) throw new Error(`no element ${id} on ${screen.id}`);
	return found;
}

const filledIn: PracticeValues = {
	name: 'Anna Muster',
	email: 'anna@beispiel.de',
	phone: '',
	privacy: true,
	service: 'id-card',
	slot: 'Montag 09:00'
};

describe('screenOf', () => {
	const step = practice();

	it('finds a screen by its id', () => {
		expect(screenOf(step, 'mail').id).toBe('mail');
	});

	it('falls back to the start screen for an unknown id, e.g. from an old draft', () => {
		expect(screenOf(step, 'removed-screen').id).toBe('form');
	});
});

describe('press: a validating button', () => {
	const step = practice();
	const form = screenOf(step, 'form');
	const send = element(form, 'send');

	it('follows its goto when the form is filled in correctly', () => {
		expect(press(form, filledIn, send)).toEqual({ errors: {}, goto: 'mail' });
	});

	it('blocks navigation and names every missing required input', () => {
		expect(press(form, {}, send)).toEqual({
			errors: {
				name: 'required',
				email: 'required',
				privacy: 'required',
				service: 'required',
				slot: 'required'
			},
			goto: null
		});
	});

	it('returns the format error of a field', () => {
		const result = press(form, { ...filledIn, email: 'anna@beispiel' }, send);
		expect(result).toEqual({ errors: { email: 'email.format' }, goto: null });
	});

	it('checks an optional field only when it was filled in', () => {
		expect(press(form, { ...filledIn, phone: '12' }, send)).toEqual({
			errors: { phone: 'phone.format' },
			goto: null
		});
		expect(press(form, { ...filledIn, phone: '0351 123456' }, send).goto).toBe('mail');
	});

	it('blocks on an unticked required checkbox', () => {
		expect(press(form, { ...filledIn, privacy: false }, send).errors).toEqual({
			privacy: 'required'
		});
	});

	it('counts a ticked box typed as text as unticked', () => {
		expect(press(form, { ...filledIn, privacy: 'true' }, send).errors).toEqual({
			privacy: 'required'
		});
	});

	it('blocks when no option or no time slot was chosen', () => {
		const result = press(form, { ...filledIn, service: '', slot: true }, send);
		expect(result).toEqual({ errors: { service: 'required', slot: 'required' }, goto: null });
	});

	it('counts a field value that is not text as empty', () => {
		expect(press(form, { ...filledIn, name: true }, send).errors).toEqual({ name: 'required' });
	});

	it('lets optional checkboxes, options and slots stay empty', () => {
		const relaxed = practice([
			formScreen({
				elements: [
					{ kind: 'checkbox', id: 'news', label: 'Newsletter' },
					{
						kind: 'options',
						id: 'salutation',
						label: 'Anrede',
						options: [
							{ id: 'mr', label: 'Herr' },
							{ id: 'ms', label: 'Frau' }
						]
					},
					{ kind: 'slots', id: 'slot', label: 'Termin', days: [{ label: 'Mo', times: [] }] },
					{
						kind: 'button',
						id: 'send',
						label: 'Weiter',
						goto: 'done',
						validate: ['news', 'salutation', 'slot']
					}
				]
			}),
			{ id: 'done', task: 'Fertig.', finish: true, elements: [{ kind: 'text', text: 'Danke.' }] }
		]);
		const screen = screenOf(relaxed, 'form');
		expect(press(screen, {}, element(screen, 'send'))).toEqual({ errors: {}, goto: 'done' });
	});

	describe('an upload', () => {
		const withUpload = practice([
			formScreen({
				elements: [
					{
						kind: 'upload',
						id: 'cv',
						label: 'Lebenslauf (PDF)',
						button: 'Datei auswählen',
						required: true,
						files: [
							{ id: 'cv-pdf', name: 'Lebenslauf.pdf' },
							{ id: 'photo', name: 'Urlaub.jpg', refuse: 'type' },
							{ id: 'video', name: 'Geburtstag.mp4', refuse: 'size' }
						]
					},
					{ kind: 'button', id: 'send', label: 'Hochladen', goto: 'done', validate: ['cv'] }
				]
			}),
			{ id: 'done', task: 'Fertig.', finish: true, elements: [{ kind: 'text', text: 'Danke.' }] }
		]);
		const screen = screenOf(withUpload, 'form');
		const send = element(screen, 'send');

		it('is required until a file is chosen', () => {
			expect(press(screen, {}, send)).toEqual({ errors: { cv: 'required' }, goto: null });
		});

		it('refuses a file of the wrong type or size with the reason', () => {
			expect(press(screen, { cv: 'photo' }, send).errors).toEqual({ cv: 'file.type' });
			expect(press(screen, { cv: 'video' }, send).errors).toEqual({ cv: 'file.size' });
		});

		it('accepts a file the portal takes', () => {
			expect(press(screen, { cv: 'cv-pdf' }, send)).toEqual({ errors: {}, goto: 'done' });
		});

		it('treats an unknown file id as no file', () => {
			expect(press(screen, { cv: 'gone' }, send).errors).toEqual({ cv: 'required' });
		});
	});

	it('ignores a validate entry that is not on the screen', () => {
		const odd = practice([
			formScreen({
				elements: [
					{ kind: 'button', id: 'send', label: 'Weiter', goto: 'done', validate: ['ghost'] }
				]
			}),
			{ id: 'done', task: 'Fertig.', finish: true, elements: [{ kind: 'text', text: 'Danke.' }] }
		]);
		const screen = screenOf(odd, 'form');
		expect(press(screen, {}, element(screen, 'send'))).toEqual({ errors: {}, goto: 'done' });
	});
});

describe('press: other controls', () => {
	const step = practice();
	const form = screenOf(step, 'form');

	it('leads nowhere from a button without goto, without complaining', () => {
		expect(press(form, {}, element(form, 'cancel'))).toEqual({ errors: {}, goto: null });
	});

	it('follows the goto of an e-mail link', () => {
		const mail = screenOf(step, 'mail');
		const email = mail.elements[0]!;
		expect(email.kind).toBe('email');
		const link = email.kind === 'email' ? email.link : undefined;
		expect(press(mail, {}, email, link?.goto)).toEqual({ errors: {}, goto: 'done' });
	});

	it('leads nowhere from an e-mail without a link target', () => {
		const mail = screenOf(step, 'mail');
		expect(press(mail, {}, mail.elements[0]!)).toEqual({ errors: {}, goto: null });
	});

	it('follows an app icon or a back button without validating anything', () => {
		const home = practice([
			{
				id: 'home',
				task: 'Öffnen Sie den Browser.',
				elements: [
					{ kind: 'field', id: 'search', label: 'Suche', required: true },
					{ kind: 'app', id: 'browser', label: 'Browser', icon: 'browser', goto: 'done' },
					{ kind: 'back', id: 'back', label: 'Zurück', goto: 'home' }
				]
			},
			{ id: 'done', task: 'Fertig.', finish: true, elements: [{ kind: 'text', text: 'Danke.' }] }
		]);
		const screen = screenOf(home, 'home');
		expect(press(screen, {}, element(screen, 'browser'))).toEqual({ errors: {}, goto: 'done' });
		expect(press(screen, {}, element(screen, 'back'))).toEqual({ errors: {}, goto: 'home' });
	});
});
