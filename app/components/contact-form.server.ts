import { json } from "@remix-run/node";
import {
  contactFieldErrors,
  contactInputSchema,
  type ContactInput,
  type ContactWriteOutcome,
} from "~/domain/contacts.server";
import { contactSchemaInput, submittedContactValues } from "./contact-form";

/**
 * The server half of ContactForm, for the create and edit actions: reads the post, checks
 * it, and saves it with `save`. Returns the stored contact, or the 400 to send back with
 * the field errors and the values as posted; a missing account or contact is a 404.
 */
export async function saveContactForm(
  request: Request,
  save: (input: ContactInput) => Promise<ContactWriteOutcome>,
  notFoundMessage: string,
) {
  const values = submittedContactValues(await request.formData());
  const parsed = contactInputSchema.safeParse(contactSchemaInput(values));
  if (!parsed.success) {
    return { refused: json({ fieldErrors: contactFieldErrors(parsed.error), values }, { status: 400 }) };
  }
  const outcome = await save(parsed.data);
  switch (outcome.status) {
    case "not_found":
      throw new Response(notFoundMessage, { status: 404 });
    case "duplicate_email":
      return {
        refused: json(
          {
            fieldErrors: {
              email: `Email "${outcome.email}" already belongs to another contact in this account.`,
            },
            values,
          },
          { status: 400 },
        ),
      };
    case "saved":
      return { contact: outcome.contact };
  }
}
