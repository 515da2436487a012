import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  MaxPartSizeExceededError,
  json,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { SurveyList } from "~/components/survey-list";
import {
  MAX_SURVEY_UPLOAD_BYTES,
  SurveyUploadForm,
  type SurveyUploadResult,
} from "~/components/survey-upload-form";
import {
  SurveyDefinitionError,
  getSurveyVersion,
  importSurveyDefinition,
  listSurveyDefinitions,
  surveySlugSchema,
} from "~/domain/surveys.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

const CHOOSE_FILE = "Choose a SurveyJS JSON file to upload.";

const uploadSchema = z.object({
  slug: surveySlugSchema,
  file: z
    .instanceof(File, { message: CHOOSE_FILE })
    // A form sent without a chosen file still carries the field: no name, no bytes.
    .refine((file) => file.name !== "" || file.size > 0, CHOOSE_FILE)
    .refine((file) => file.size > 0, "That file is empty. Choose the survey's .json file."),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const definitions = await listSurveyDefinitions(getDb());
  return json({ definitions, canUpload: user.role === "admin" });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["admin"] });

  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_SURVEY_UPLOAD_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return refused(413, "", {
        file: "That file is larger than 1 MB. A survey definition is a few kilobytes; check that it is the right file.",
      });
    }
    // Not multipart at all, or a body cut off mid-way: the browser did not send a whole form.
    return refused(400, "", { file: "The upload could not be read. Choose the file again and upload it." });
  }

  const rawSlug = form.get("slug");
  const slugEntered = typeof rawSlug === "string" ? rawSlug : "";
  const parsed = uploadSchema.safeParse({ slug: rawSlug ?? undefined, file: form.get("file") ?? undefined });
  if (!parsed.success) {
    const errors = parsed.error.flatten().fieldErrors;
    return refused(400, slugEntered, { slug: errors.slug?.[0], file: errors.file?.[0] });
  }
  const { slug, file } = parsed.data;

  let text: string;
  try {
    // fatal: a file in another encoding is refused rather than imported with mangled characters
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return refused(400, slugEntered, {
      file: "That file is not UTF-8 text. Save it as UTF-8 and upload it again.",
    });
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    return refused(400, slugEntered, { file: `That file is not valid JSON: ${(error as Error).message}` });
  }

  try {
    const result = await importSurveyDefinition(getDb(), {
      slug,
      json: definition,
      source: "upload",
      createdById: user.id,
    });
    const saved = await getSurveyVersion(getDb(), result.version.id);
    return json<SurveyUploadResult>({
      ok: true,
      outcome: result.outcome,
      slug,
      title: saved?.title ?? slug,
      version: result.version.version,
    });
  } catch (error) {
    if (error instanceof SurveyDefinitionError) return refused(400, slugEntered, {}, error.problems);
    throw error;
  }
}

function refused(
  status: number,
  slug: string,
  fieldErrors: { slug?: string; file?: string },
  problems: { where: string; message: string }[] = [],
) {
  return json<SurveyUploadResult>({ ok: false, slug, fieldErrors, problems }, { status });
}

export const meta: MetaFunction = () => [{ title: "Surveys · Rapport" }];

export default function Surveys() {
  const { definitions, canUpload } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="Surveys"
        description="Relationship-health, win/loss, interview and mirror surveys, each with its versions and what they collected."
      />
      <div className="space-y-8">
        {definitions.length === 0 ? (
          <EmptyState title="No survey definitions imported yet">
            Rapport imports the SurveyJS files in the surveys/ folder when it starts
            {canUpload ? ", and you can upload one below" : "; an admin can also upload one here"}. Each one
            then appears here with its versions, response counts and a preview.
          </EmptyState>
        ) : (
          <SurveyList definitions={definitions} />
        )}
        {canUpload ? (
          <SurveyUploadForm
            existing={definitions.map(({ slug, title }) => ({ slug, title }))}
            result={result}
          />
        ) : null}
      </div>
    </>
  );
}
