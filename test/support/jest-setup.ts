// The AWS SDK warns on Node 20 about a future Node 22 requirement; the notice says nothing about the tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
