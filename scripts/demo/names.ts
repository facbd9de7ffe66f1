/**
 * Names for the demo city's people: mostly German names of older residents, and the names of
 * the city's Turkish, Arabic, Ukrainian, Persian and Polish speaking residents and newcomers.
 * Invented combinations of common names; any likeness to a real person is chance.
 */
import type { AgeGroup, TargetGroup } from '../../src/lib/domain/reports/attributes';
import type { Random } from './random';

/** Names written as a block of words, one name per word ("Karl-Heinz" is one). */
function words(text: string): string[] {
	return text.split(/\s+/).filter(Boolean);
}

interface NamePool {
	female: readonly string[];
	male: readonly string[];
	surnames: readonly string[];
}

const GERMAN_OLDER: NamePool = {
	female: words(`
		Erna Helga Ursula Ingrid Gisela Renate Brigitte Monika Christa Karin Elke Hannelore
		Gertrud Edith Irmgard Waltraud Marianne Inge Rosemarie Margarete Hildegard Annemarie
		Bärbel Doris Sigrid Gudrun Elisabeth Roswitha Jutta Christel Lieselotte Anneliese
		Ilse Heidemarie
	`),
	male: words(`
		Werner Klaus Hans Günter Manfred Dieter Horst Wolfgang Jürgen Gerhard Heinz Peter
		Helmut Karl-Heinz Rolf Bernd Siegfried Rainer Herbert Walter Heinrich Friedrich
		Erich Kurt Lothar Norbert Egon Hans-Jürgen Reinhard Detlef Gerd Ulrich Wilfried
		Alfred
	`),
	surnames: words(`
		Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer
		Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger
		Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schulze Köhler Herrmann
		König Walter Kaiser Fuchs Peters Scholz Möller Weiß Jung Hahn Schubert Vogel
		Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke
		Albrecht Schuster Ludwig Böhm Winter Kraus Schumacher Krämer Vogt Stein Jäger Otto
		Sommer Groß Seidel Brandt Haas Schreiber Graf Dietrich Ziegler Kuhn Pohl Engel Horn
		Busch Bergmann Voigt Sauer Arnold Pfeiffer
	`)
};

const GERMAN_YOUNGER: NamePool = {
	female: words(`
		Sabine Andrea Claudia Susanne Petra Stefanie Nicole Sandra Kerstin Tanja Katrin Anja
		Silke Julia Anna Lena Miriam Birgit Heike
	`),
	male: words(`
		Thomas Michael Andreas Stefan Frank Markus Jens Torsten Matthias Christian Sven
		Oliver Tobias Jonas Florian Dirk Martin Jan
	`),
	surnames: GERMAN_OLDER.surnames
};

const TURKISH: NamePool = {
	female: words(`
		Ayşe Fatma Emine Hatice Zeynep Elif Hülya Gül Sevgi Meryem Songül Nurten Leyla
		Serpil Sibel Gülsüm
	`),
	male: words(`
		Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Osman Yusuf Murat Kemal Cem Recep
		Halil Ismail Erol
	`),
	surnames: words(`
		Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan
		Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Erdem
	`)
};

const ARABIC: NamePool = {
	female: words(`
		Fatima Aisha Mariam Nour Rasha Huda Amal Layla Rania Samira Hanan Yasmin Dalia Salma
		Reem Ghada
	`),
	male: words(`
		Mohammed Ahmad Omar Khaled Youssef Mahmoud Hassan Ali Ibrahim Tarek Samir Bilal
		Karim Rami Walid Firas
	`),
	surnames: words(`
		Al-Hassan Haddad Khalil Nasser Saleh Mansour Hamdan Darwish Ibrahim Aziz Yousef
		Kassem Othman Barakat Al-Ahmad Suleiman Hamoud Najjar Al-Khatib Sabbagh
	`)
};

const UKRAINIAN: NamePool = {
	female: words(`
		Olena Oksana Iryna Natalia Tetiana Svitlana Yulia Halyna Lyudmyla Kateryna Nadiia
		Valentyna Anastasiia Mariia Larysa Viktoriia
	`),
	male: words(`
		Oleksandr Andrii Serhii Volodymyr Mykola Ivan Dmytro Yurii Vasyl Petro Bohdan Viktor
		Taras Oleh
	`),
	surnames: words(`
		Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boiko Marchenko Lysenko
		Savchenko Rudenko Petrenko Kovalchuk Polishchuk Tkachuk Moroz Hnatiuk Ostapenko
		Kuzmenko Pavlenko
	`)
};

const PERSIAN: NamePool = {
	female: words(`
		Maryam Zahra Fatemeh Soraya Shirin Parisa Leila Nasrin Mahnaz Farzaneh Roya Setareh
		Nilufar Mina
	`),
	male: words(`
		Reza Ali Hossein Mehdi Amir Dariush Farid Hamid Javad Omid Ahmad Navid Behrouz
		Zabihullah Masoud
	`),
	surnames: words(`
		Ahmadi Hosseini Mohammadi Rezaei Karimi Rahimi Moradi Sadeghi Jafari Azizi Hashemi
		Najafi Ebrahimi Haidari Popal Sultani Noori
	`)
};

const POLISH: NamePool = {
	female: words(`
		Barbara Krystyna Danuta Halina Teresa Jadwiga Grażyna Agnieszka Katarzyna Małgorzata
		Joanna Ewa Elżbieta Zofia Irena Bożena
	`),
	male: words(`
		Stanisław Jan Andrzej Krzysztof Tadeusz Józef Marek Piotr Tomasz Jerzy Zbigniew
		Kazimierz Wojciech Paweł Ryszard
	`),
	surnames: words(`
		Nowak Wójcik Kowalczyk Woźniak Mazur Krawczyk Kaczmarek Zając Król Wieczorek
		Adamczyk Dudek Pawlak Walczak Sikora Baran Michalak Szewczyk
	`)
};

export type Origin = 'german' | 'turkish' | 'arabic' | 'ukrainian' | 'persian' | 'polish';

/** Who comes to the city's sessions: mostly older long-time residents, many newcomers too. */
const ORIGINS: Record<Origin, number> = {
	german: 60,
	turkish: 11,
	arabic: 9,
	ukrainian: 9,
	persian: 5,
	polish: 6
};

const TARGETS: Record<Origin, Record<TargetGroup, number>> = {
	german: { 'older-resident': 82, newcomer: 0, other: 18 },
	// The first generation who came to work here in the sixties and seventies is now retired.
	turkish: { 'older-resident': 65, newcomer: 15, other: 20 },
	arabic: { 'older-resident': 0, newcomer: 85, other: 15 },
	ukrainian: { 'older-resident': 0, newcomer: 90, other: 10 },
	persian: { 'older-resident': 0, newcomer: 85, other: 15 },
	polish: { 'older-resident': 45, newcomer: 30, other: 25 }
};

const AGES: Record<TargetGroup, Partial<Record<AgeGroup, number>>> = {
	'older-resident': { '50-64': 10, '65-74': 42, '75-84': 38, '85-plus': 10 },
	newcomer: { 'under-30': 25, '30-49': 45, '50-64': 18, '65-74': 10, '75-84': 2 },
	other: { 'under-30': 15, '30-49': 35, '50-64': 40, '65-74': 10 }
};

export interface Person {
	name: string;
	origin: Origin;
	target: TargetGroup;
	age: AgeGroup;
}

function nameFrom(random: Random, pool: NamePool): string {
	const first = random.chance(0.6) ? random.pick(pool.female) : random.pick(pool.male);
	return `${first} ${random.pick(pool.surnames)}`;
}

const POOLS: Record<Exclude<Origin, 'german'>, NamePool> = {
	turkish: TURKISH,
	arabic: ARABIC,
	ukrainian: UKRAINIAN,
	persian: PERSIAN,
	polish: POLISH
};

/** A learner: where their name comes from, and the groups they would be counted in. */
export function demoPerson(random: Random): Person {
	const origin = random.weighted(ORIGINS);
	const target = random.weighted(TARGETS[origin]);
	const age = random.weighted(AGES[target] as Record<AgeGroup, number>);
	const young = age === 'under-30' || age === '30-49';
	const pool =
		origin === 'german' ? (young ? GERMAN_YOUNGER : GERMAN_OLDER) : POOLS[origin as 'turkish'];
	return { name: nameFrom(random, pool), origin, target, age };
}

/** A volunteer's name: the people who give their time at the city's places. */
export function volunteerName(random: Random): string {
	return random.chance(0.85)
		? nameFrom(random, random.chance(0.5) ? GERMAN_YOUNGER : GERMAN_OLDER)
		: nameFrom(random, random.pick([TURKISH, POLISH, ARABIC]));
}

/** `vorname.nachname`, as a mail server would take it: no umlauts, no spaces. */
export function emailLocalPart(name: string): string {
	const plain = name
		.toLowerCase()
		.replaceAll('ä', 'ae')
		.replaceAll('ö', 'oe')
		.replaceAll('ü', 'ue')
		.replaceAll('ß', 'ss')
		.replaceAll('ı', 'i')
		.replaceAll('ł', 'l')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z0-9 -]/g, '');
	const parts = plain.split(' ').filter(Boolean);
	return `${parts.slice(0, -1).join('-')}.${parts.at(-1)}`;
}
