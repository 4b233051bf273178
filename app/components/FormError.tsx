/**
 * An error message next to the control it concerns, announced to screen readers (role="alert");
 * nothing when there is none. `inline` makes it a <span> for use inside a line of buttons (a <p>
 * otherwise); `testId` sets data-testid.
 */
export function FormError({ message, id, inline = false, testId }: { message: string | null | undefined; id?: string; inline?: boolean; testId?: string }) {
  if (!message) return null;
  const Tag = inline ? "span" : "p";
  return (
    <Tag id={id} className="error" role="alert" data-testid={testId}>
      {message}
    </Tag>
  );
}
