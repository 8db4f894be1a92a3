export default {
  notAMember: '"{{ref}}" is not a member. Mention them (@name).',
  unknownUsername: 'I don\'t know @{{username}} yet. They need to use any bot command once first.',
  unknownId: 'I haven\'t met {{ref}} here yet. They need to use any bot command once first.',
};
