// The consumer's build log: its tests ran and passed, and the testkit printed nothing of its own.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run:') : 'the consumer ran no tests'
assert !(log =~ /Tests run: \d+, Failures: [1-9]/) : 'a consumer test failed'
assert !log.contains('Initializing DynamoDB Local') : 'DynamoDB Local printed its banner'
assert !(log =~ /INFO org\.eclipse\.jetty/) : 'Jetty logged at INFO'
assert !log.contains('[sqlite]') : 'sqlite4java logged'
return true
