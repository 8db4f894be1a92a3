// Texts every adapter may show itself (before or around the engine); each platform's own are in its namespace.
export default {
  internal: 'Something went wrong on my side. Please try again.',
  /** Under a reply the adapter had to cut to the platform's limit (the cut ends with "…"). */
  shortened: '(shortened: the full text is too long for one message)',
};
