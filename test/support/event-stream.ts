/**
 * Reads a Server-Sent Events response as it arrives: `until(pattern)` waits for the text so far
 * to match (failing if the stream ends first), `text()` is everything read.
 */
export function eventStreamReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    text: () => text,
    async until(pattern: RegExp): Promise<void> {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}`);
        text += decoder.decode(value, { stream: true });
      }
    },
  };
}
