// Texts every adapter may show itself (before or around the engine); each platform's own are in its namespace.
export default {
  internal: 'Something went wrong on my side. Please try again.',
};
