// Texts every adapter may show itself (before or around the engine); each platform's own are in its namespace.
export default {
  internal: 'こちらで問題が発生しました。もう一度お試しください。',
  /** Under a reply the adapter had to cut to the platform's limit (the cut ends with "…"). */
  shortened: '(長すぎるため、一部のみ表示しています)',
};
