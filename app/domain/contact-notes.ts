/**
 * What a contact note can be about (pure, shared by the server and the note form).
 * DESIGN.md, "Know both sides of the person": teams know the personal side and miss the
 * professional one, so the professional kinds come first everywhere they are listed.
 */
export const PROFESSIONAL_NOTE_KINDS = [
  "career_goal",
  "how_measured",
  "keeps_up_at_night",
  "current_priorities",
] as const;
export const PERSONAL_NOTE_KINDS = ["interests", "family", "birthday", "how_we_met"] as const;
export const CONTACT_NOTE_KINDS = [...PROFESSIONAL_NOTE_KINDS, ...PERSONAL_NOTE_KINDS, "other"] as const;
export type ContactNoteKind = (typeof CONTACT_NOTE_KINDS)[number];

export const NOTE_KIND_GROUPS: {
  label: "Professional" | "Personal" | "Other";
  kinds: readonly ContactNoteKind[];
}[] = [
  { label: "Professional", kinds: PROFESSIONAL_NOTE_KINDS },
  { label: "Personal", kinds: PERSONAL_NOTE_KINDS },
  { label: "Other", kinds: ["other"] },
];
