/**
 * The shape of the attendance and reach report, as the server computes it and the office pages
 * and exports show it. Counts of learners are already small-cell safe (`PeopleCount`).
 */
import type { PeopleCount } from './suppression';

export interface FigureRow {
	key: string;
	sessions: number;
	hours: number;
	volunteers: number;
	volunteerHours: number;
	attendances: PeopleCount;
	learners: PeopleCount;
	newLearners: PeopleCount;
	returningLearners: PeopleCount;
	lessonsCompleted: PeopleCount;
	coursesCompleted: PeopleCount;
}

export interface AttributeCounts {
	ageGroup: { key: string; learners: PeopleCount }[];
	targetGroup: { key: string; learners: PeopleCount }[];
	language: { key: string; learners: PeopleCount }[];
	/** Learners who did not agree to be counted by these attributes. */
	withoutConsent: PeopleCount;
}

export interface Report {
	total: FigureRow;
	byLocation: FigureRow[];
	byCourse: FigureRow[];
	byMonth: FigureRow[];
	attributes: AttributeCounts;
}
