/** Answer sets the tests share, each question named as in its survey file under surveys/. */

/** Every rating of surveys/relationship-health.json, a contented customer (advocacy 9: a promoter). */
export const RELATIONSHIP_RATINGS = {
  trust: 4,
  responsiveness: 5,
  understanding: 3,
  value: 4,
  communication: 4,
  relationship: 5,
  advocacy: 9,
  renewal: 5,
};

/**
 * Every rating of surveys/mirror.json, one per dimension on the survey's own scale. By hand
 * (1–5 → 0/25/50/75/100, 0–10 → ×10): trust 75, responsiveness 50, understanding 100,
 * value 25, communication 0, relationship 75, advocacy 80, renewal 100.
 */
export const MIRROR_RATINGS = {
  trust: 4,
  responsiveness: 3,
  understanding: 5,
  value: 2,
  communication: 1,
  relationship: 4,
  advocacy: 8,
  renewal: 5,
};

/**
 * relationship-health's first page, all "agree": no follow-up comment becomes required and no
 * case opens. The benchmarks save it, then submit ALL_AGREE.
 */
export const ALL_AGREE_FIRST_PAGE = {
  trust: 4,
  responsiveness: 4,
  understanding: 4,
  value: 4,
  communication: 4,
  relationship: 4,
};
/** Every required rating of relationship-health, all "agree" (advocacy 8: passive). */
export const ALL_AGREE = { ...ALL_AGREE_FIRST_PAGE, advocacy: 8, renewal: 4 };
