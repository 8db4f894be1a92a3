// Texts every adapter may show itself (before or around the engine); each platform's own are in its namespace.
export default {
  internal: '앗, 처리 중에 문제가 생겼어요. 다시 시도해 주세요.',
};
