/**
 * The learner face's state for this browser tab: the database, the device, who is learning
 * and which courses are here. Shared with components through context (see `context.ts`).
 */
import { LernlotseDatabase } from '../db/database';
import { CITY, installPacks } from '../content/install-packs';
import { coursesFor } from '../db/courses';
import { openDevice, type Device } from '../db/device';
import { getEnrolment, type Enrolment } from '../db/enrolment';
import type { VolunteerUnlock } from '../auth/volunteer';
import { classifyStorageError, type StorageProblem } from '../db/errors';
import { getLearner } from '../db/learners';
import type { CourseRecord, LearnerRecord } from '../db/records';
import { AppUpdates } from '../pwa/updates.svelte';
import { Syncer } from '../sync/syncer.svelte';
import { afterPageSettles } from './page-settled';
import { isLanguage, pickLanguage, type LanguageCode } from '../../i18n/languages';
import { locale, setLanguage } from '../../i18n/index.svelte';
import { DEFAULT_CITY, type CityDressing } from '../../domain/city';

const ACTIVE_LEARNER = 'lernlotse.activeLearner';
const DEVICE_LANGUAGE = 'deviceLanguage';

const browserLanguage = () => pickLanguage(navigator.languages ?? [navigator.language]);

export type CourseLoadProblem = 'offline-first-run' | 'index' | null;

export class AppState {
	status = $state<'starting' | 'ready' | 'failed'>('starting');
	storageProblem = $state<StorageProblem | null>(null);
	courseLoadProblem = $state<CourseLoadProblem>(null);
	learner = $state<LearnerRecord | null>(null);
	courses = $state<CourseRecord[]>([]);
	/** The city the practice pages are dressed as: set in the office, kept on the device. */
	city = $state<CityDressing>({ ...DEFAULT_CITY, arms: null });
	updates = new AppUpdates();
	syncer: Syncer | null = $state(null);
	/** How this device stands with the office (null: not enrolled, everything stays here). */
	enrolment = $state<Enrolment | null>(null);
	/** The volunteer who unlocked volunteer mode in this tab, until they lock it or walk away. */
	volunteer = $state<VolunteerUnlock | null>(null);
	db!: LernlotseDatabase;
	device!: Device;

	async start(): Promise<void> {
		const languageReady = setLanguage(browserLanguage());
		try {
			this.db = new LernlotseDatabase();
			this.db.on('blocked', () => {
				this.storageProblem = 'blocked';
			});
			this.db.on('versionchange', () => {
				// A newer Lernlotse in another tab needs the database: step aside and say so.
				this.db.close();
				this.storageProblem = 'upgraded';
				return false;
			});
			await this.db.open();
			this.device = await openDevice(this.db);
			const saved = (await this.db.meta.get(DEVICE_LANGUAGE))?.value;
			await languageReady;
			if (isLanguage(saved)) await setLanguage(saved);
			await this.#restoreLearner();
			this.enrolment = await getEnrolment(this.db);
			await this.#readCity();
		} catch (error) {
			await languageReady.catch(() => undefined);
			this.storageProblem = classifyStorageError(error);
			this.status = 'failed';
			return;
		}
		this.status = 'ready';
		// The courses on the tablet show at once. The office (its course index, the sync) and the
		// service worker are asked only once the page has painted and settled: a slow or dead
		// network never holds the learner's page, and their downloads do not compete with it.
		await this.#showCourses();
		this.syncer = new Syncer(this.db, this.device);
		// A course published or withdrawn in the office arrives with the next sync.
		this.syncer.onNewCourses = () => this.loadCourses();
		// A first start has nothing to show yet: then the courses are fetched at once.
		if (this.courses.length > 0) await afterPageSettles();
		void this.updates.register().catch(() => undefined);
		void this.syncer.start().catch(() => undefined);
		await this.loadCourses();
	}

	async #readCity(): Promise<void> {
		const city = (await this.db.meta.get(CITY))?.value as CityDressing | undefined;
		if (city) this.city = city;
	}

	async #restoreLearner(): Promise<void> {
		const id = sessionStorage.getItem(ACTIVE_LEARNER);
		const learner = id ? await getLearner(this.db, id) : undefined;
		if (learner) await this.#useLearner(learner);
	}

	async #useLearner(learner: LearnerRecord): Promise<void> {
		this.learner = learner;
		if (isLanguage(learner.lang)) await setLanguage(learner.lang);
	}

	async selectLearner(learner: LearnerRecord): Promise<void> {
		sessionStorage.setItem(ACTIVE_LEARNER, learner.id);
		await this.#useLearner(learner);
		this.courses = await coursesFor(this.db, learner.lang);
	}

	async signOutLearner(): Promise<void> {
		sessionStorage.removeItem(ACTIVE_LEARNER);
		this.learner = null;
		// The next person meets the tablet's language: the one chosen on it, else its browser's.
		const saved = (await this.db.meta.get(DEVICE_LANGUAGE))?.value;
		await setLanguage(isLanguage(saved) ? saved : browserLanguage());
		await this.#showCourses();
	}

	/** After enrolling, a card or a refusal: read the enrolment again and try to sync. */
	async refreshEnrolment(): Promise<void> {
		this.enrolment = (await this.guard(() => getEnrolment(this.db))) ?? null;
		this.syncer?.request();
	}

	/** A learner record changed on this device (PIN, card): show the new one. */
	replaceLearner(learner: LearnerRecord): void {
		if (this.learner?.id === learner.id) this.learner = learner;
	}

	/** The language chosen on the picture screen, before anyone has picked a profile. */
	async setDeviceLanguage(lang: LanguageCode): Promise<void> {
		await setLanguage(lang);
		await this.guard(() => this.db.meta.put({ key: DEVICE_LANGUAGE, value: lang }));
		if (!this.learner) await this.#showCourses();
	}

	async loadCourses(): Promise<void> {
		let unchanged = false;
		try {
			const installed = await installPacks(this.db);
			unchanged = installed.changed + installed.removed === 0;
			this.courseLoadProblem = null;
		} catch (error) {
			if (classifyStorageError(error) !== 'unknown')
				this.storageProblem = classifyStorageError(error);
			this.courseLoadProblem = navigator.onLine ? 'index' : 'offline-first-run';
		}
		await this.#readCity().catch(() => undefined);
		// Most starts: the office has nothing new, and the courses on screen are the right ones.
		if (unchanged && this.courses.length > 0) return;
		await this.#showCourses();
		if (this.courses.length > 0) this.courseLoadProblem = null;
	}

	/**
	 * The courses in the language of whoever is learning now (a profile may have been chosen or
	 * made while the packs were being installed), else in the tablet's: a volunteer reading the
	 * tablet in Arabic plans a session of courses named in Arabic.
	 */
	async #showCourses(): Promise<void> {
		const lang = this.learner?.lang ?? locale.current;
		this.courses = await coursesFor(this.db, lang).catch(() => []);
	}

	/** A change was saved on the device: count it as waiting, and send soon when asked. */
	noteLocalChanges(count: number, sendNow = false): void {
		if (!this.syncer) return;
		this.syncer.waiting += count;
		if (sendNow) this.syncer.request();
	}

	/**
	 * Runs a database write; on failure the learner is told what happened in plain words, and
	 * what was saved before stays saved (each write is one transaction).
	 */
	async guard<T>(write: () => Promise<T>): Promise<T | undefined> {
		try {
			const result = await write();
			if (this.storageProblem === 'quota' || this.storageProblem === 'unknown')
				this.storageProblem = null;
			return result;
		} catch (error) {
			this.storageProblem = classifyStorageError(error);
			return undefined;
		}
	}

	/** Asks the browser not to evict the learners' work when space runs low. */
	async persistStorage(): Promise<void> {
		if (navigator.storage?.persist && !(await navigator.storage.persisted())) {
			await navigator.storage.persist().catch(() => false);
		}
	}
}
