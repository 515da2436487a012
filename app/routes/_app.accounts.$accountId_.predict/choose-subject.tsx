import { Form, Link, useNavigation } from "@remix-run/react";
import { humanize } from "~/lib/format";

export interface SubjectChoices {
  contacts: { id: string; name: string; buyingRole: string }[];
  campaigns: { id: string; name: string; status: string }[];
}

export interface Subject {
  contact: { id: string; name: string; buyingRole: string } | null;
  campaign: { id: string; name: string; status: string } | null;
}

/**
 * Step one: who the prediction is about and which answers it predicts. A GET form, so the
 * survey below is built with the chosen contact's name in its questions (SurveyJS reads
 * its variables once) and nothing the author typed is lost to a later change.
 */
export function ChooseSubject({ choices, current }: { choices: SubjectChoices; current: Subject }) {
  const navigation = useNavigation();
  const opening = navigation.state !== "idle" && navigation.location?.search.includes("chosen=1");
  return (
    <Form method="get" className="card space-y-4 p-4" aria-labelledby="subject-heading">
      <h2 id="subject-heading" className="text-base font-semibold">
        What are you predicting?
      </h2>
      <input type="hidden" name="chosen" value="1" />
      {choices.contacts.length > 0 ? (
        <div>
          <label htmlFor="contact" className="block text-sm font-medium">
            About a key contact <span className="font-normal text-slate-600">(optional)</span>
          </label>
          <select
            id="contact"
            name="contact"
            className="input mt-1"
            defaultValue={current.contact?.id ?? ""}
            aria-describedby="contact-help"
          >
            <option value="">The account as a whole</option>
            {choices.contacts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({humanize(c.buyingRole)})
              </option>
            ))}
          </select>
          <p id="contact-help" className="mt-1 text-sm text-slate-600">
            Decision-makers and champions are listed first.
          </p>
        </div>
      ) : (
        <p className="text-sm text-slate-600">
          This account has no contacts yet, so the prediction is about the account as a whole.
        </p>
      )}
      {choices.campaigns.length > 0 ? (
        <div>
          <label htmlFor="campaign" className="block text-sm font-medium">
            Predicts the campaign <span className="font-normal text-slate-600">(optional)</span>
          </label>
          <select
            id="campaign"
            name="campaign"
            className="input mt-1"
            defaultValue={current.campaign?.id ?? ""}
            aria-describedby="campaign-help"
          >
            <option value="">The account’s next customer answer</option>
            {choices.campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({humanize(c.status)})
              </option>
            ))}
          </select>
          <p id="campaign-help" className="mt-1 text-sm text-slate-600">
            The prediction locks when the customer answers that campaign (or, without one, when they next
            answer any survey).
          </p>
        </div>
      ) : (
        <p className="text-sm text-slate-600">
          No campaigns are planned, so this predicts the account’s next customer answer.
        </p>
      )}
      <button type="submit" className="btn-primary" disabled={opening}>
        {opening ? "Opening…" : "Start the prediction"}
      </button>
    </Form>
  );
}

/** Step two's reminder of what was chosen, with the way back. */
export function SubjectSummary({ subject, changeHref }: { subject: Subject; changeHref: string | null }) {
  return (
    <div className="card mb-4 flex flex-wrap items-center justify-between gap-3 p-4 text-sm">
      <dl className="flex flex-wrap gap-x-6 gap-y-1">
        <div>
          <dt className="inline text-slate-600">About: </dt>
          <dd className="inline font-medium">
            {subject.contact
              ? `${subject.contact.name} (${humanize(subject.contact.buyingRole)})`
              : "The account as a whole"}
          </dd>
        </div>
        <div>
          <dt className="inline text-slate-600">Predicts: </dt>
          <dd className="inline font-medium">
            {subject.campaign ? subject.campaign.name : "The account’s next customer answer"}
          </dd>
        </div>
      </dl>
      {changeHref ? (
        <Link to={changeHref} className="text-indigo-700 hover:underline">
          Change
        </Link>
      ) : null}
    </div>
  );
}
