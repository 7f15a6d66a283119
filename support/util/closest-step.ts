// "Did you mean" for a step line that matches no step definition: the catalogue step whose words
// it shares most, the words in braces standing for anything.
export function closestStep(text: string, expressions: readonly string[]): string | undefined {
  const words = (s: string) => s.toLowerCase().replace(/^(given|when|then|and|but)\s+/, '').split(/\s+/).filter(Boolean);
  const line = words(text);
  let best: { expression: string; score: number } | undefined;
  for (const expression of expressions) {
    const pattern = words(expression);
    const fixed = pattern.filter((w) => !/^\{.*\}$/.test(w));
    const shared = fixed.filter((w) => line.includes(w)).length;
    const score = shared / Math.max(fixed.length, line.length - (pattern.length - fixed.length), 1);
    if (!best || score > best.score) best = { expression, score };
  }
  return best && best.score >= 0.5 ? best.expression : undefined;
}
