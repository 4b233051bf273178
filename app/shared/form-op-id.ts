/**
 * Operation ids for the debate page's forms (issue 21): the loader gives each rendering of the page a
 * random `formKey`; each form's opId is the UUID (version 5, SHA-1) of its name within that key, so the
 * server's HTML and the hydrated page agree on it without sending one id per form, and a form sent
 * twice from the same rendering (a double tap, the back button) carries the same opId and counts once.
 * A new rendering (after each post) gets a new key, hence new ids.
 */
import { v5 as uuidv5 } from "uuid";

/**
 * The opId of one form of one rendering.
 * @param formKey the loader's random UUID for this rendering
 * @param form the form's name, unique on the page ("vote:<propositionId>", "post:<propositionId>", …)
 */
export function formOpId(formKey: string, form: string): string {
  return uuidv5(form, formKey);
}
