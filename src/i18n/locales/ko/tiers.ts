export default {
  commands: {},
};
