// What commander gets for node:child_process in the bundle (scripts/bundle.js): commander
// requires it at load only to run executable subcommands, which crmctl has none of, and
// loading it (with net, dgram, …) costs every command about 3 ms of start-up.
module.exports = new Proxy({}, { get: (_target, name) => require('node:child_process')[name] });
