/** A refusal or failure, as the server or the browser said it; read out by screen readers. */
export function ErrorAlert({ message }: { message: string }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}
