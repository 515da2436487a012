import type { Model } from "survey-core";
import { createSurveyModel } from "./survey-model";

/**
 * Parsed SurveyJS models, one per survey version. Building a Model from its JSON costs tens
 * of milliseconds of CPU, and every autosave, submit and one-click answer needs one (twice:
 * validation, then scoring); a version's definition never changes once imported
 * (docs/surveys.md), so the parse is kept. The model is shared: callers use it synchronously,
 * and it may still hold the last caller's answers — validateAnswers and scoreAnswers set the
 * data they read (clearing it here cost as much CPU as the validation).
 */
const MAX_VERSIONS = 100;
const models = new Map<string, Model>();

export function surveyModelForVersion(versionId: string, json: unknown): Model {
  let model = models.get(versionId);
  if (model) {
    // most recently used last, so the oldest is the one dropped
    models.delete(versionId);
  } else {
    model = createSurveyModel(json);
    if (models.size >= MAX_VERSIONS) models.delete(models.keys().next().value!);
  }
  models.set(versionId, model);
  return model;
}
