/**
 * The mirror's sealing rules (pure). A prediction is the team's guess of what the customer
 * will say; it is only honest if nobody sees the answer first, and only useful if it cannot
 * be changed after the answer arrives.
 */

export interface PredictionFacts {
  authorId: string;
  createdAt: Date;
  /** The campaign whose answers it predicts; null: the account's next customer answer. */
  campaignId: string | null;
}

export interface CustomerAnswerFacts {
  completedAt: Date;
  campaignId: string | null;
}

/** The customer answered what the prediction predicts: a completed answer after it was made (to its campaign, if it names one). */
export function customerHasAnswered(
  prediction: PredictionFacts,
  answers: readonly CustomerAnswerFacts[],
): boolean {
  return answers.some(
    (answer) =>
      answer.completedAt > prediction.createdAt &&
      (prediction.campaignId === null || answer.campaignId === prediction.campaignId),
  );
}

/** Locked once the customer has answered: from then on nobody may edit it. */
export function isPredictionLocked(
  prediction: PredictionFacts,
  answers: readonly CustomerAnswerFacts[],
): boolean {
  return customerHasAnswered(prediction, answers);
}

/**
 * Who may see a prediction: its author always; everyone else only once the customer's
 * answer exists, so the prediction is shown next to it and never steers it.
 */
export function isPredictionVisibleTo(
  prediction: PredictionFacts,
  viewerId: string,
  answers: readonly CustomerAnswerFacts[],
): boolean {
  return prediction.authorId === viewerId || customerHasAnswered(prediction, answers);
}
