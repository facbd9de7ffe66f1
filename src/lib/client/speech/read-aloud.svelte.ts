/**
 * Reads a step aloud with the device's own voices (Web Speech API), one sentence at a time so
 * the sentence being read can be shown. Where the device has no voice for the language, it
 * says so instead of staying silent.
 */
import { splitSentences } from '../../domain/text';

export class ReadAloud {
	sentences = $state<string[]>([]);
	current = $state(-1);
	speaking = $derived(this.current >= 0);
	/** Null until the voices are known; false when no voice speaks the language. */
	hasVoice = $state<boolean | null>(null);
	#run = 0;

	get supported(): boolean {
		return typeof window !== 'undefined' && 'speechSynthesis' in window;
	}

	#voiceFor(lang: string): SpeechSynthesisVoice | undefined {
		const voices = speechSynthesis.getVoices();
		return (
			voices.find((v) => v.lang.toLowerCase() === lang.toLowerCase()) ??
			voices.find((v) => v.lang.toLowerCase().startsWith(lang.toLowerCase().split('-')[0]!))
		);
	}

	start(text: string, lang: string): void {
		this.stop();
		if (!this.supported) {
			this.hasVoice = false;
			return;
		}
		const voice = this.#voiceFor(lang);
		this.hasVoice = !!voice;
		if (!voice) return;
		const run = ++this.#run;
		this.sentences = splitSentences(text, lang);
		const speakFrom = (i: number) => {
			if (run !== this.#run) return;
			if (i >= this.sentences.length) {
				this.current = -1;
				return;
			}
			this.current = i;
			const utterance = new SpeechSynthesisUtterance(this.sentences[i]);
			utterance.voice = voice;
			utterance.lang = voice.lang;
			utterance.rate = 0.9;
			utterance.onend = () => speakFrom(i + 1);
			utterance.onerror = () => {
				if (run === this.#run) this.current = -1;
			};
			speechSynthesis.speak(utterance);
		};
		speakFrom(0);
	}

	stop(): void {
		this.#run++;
		this.current = -1;
		if (this.supported) speechSynthesis.cancel();
	}
}
