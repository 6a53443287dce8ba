// How a vocabulary becomes the options of a <select>: its values in their defined order, each with its label.

/** [value, label] pairs in the vocabulary's order. */
export const choices = <K extends string>(values: readonly K[], labels: Record<K, string>): [K, string][] =>
  values.map((v) => [v, labels[v]])
