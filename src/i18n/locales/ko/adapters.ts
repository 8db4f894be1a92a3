// Texts every adapter may show itself (before or around the engine); each platform's own are in its namespace.
export default {
  internal: '앗, 처리 중에 문제가 생겼어요. 다시 시도해 주세요.',
  /** Under a reply the adapter had to cut to the platform's limit (the cut ends with "…"). */
  shortened: '(내용이 너무 길어서 일부만 보여 드려요)',
};
