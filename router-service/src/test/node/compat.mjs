// Client compatibility suite: drives the npm clients that applications use (openai, the AI SDK with
// @ai-sdk/openai, LangChain's @langchain/openai, and @anthropic-ai/sdk on /v1/messages) against a running
// Consilium, for each model given, and prints
// one JSON object on stdout: {"versions": {...}, "results": [{client, model, feature, ok, detail, ms}]}.
// ClientCompatibilityIT runs it; it can also be run by hand against any running service:
//
//   COMPAT_CLIENTS_DIR=.ci/node-clients COMPAT_BASE_URL=http://127.0.0.1:8080/v1 COMPAT_API_KEY=... \
//   COMPAT_MODELS=mock-generalist,consilium/route,consilium/auto node router-service/src/test/node/compat.mjs
//
// Environment:
//   COMPAT_CLIENTS_DIR       folder whose node_modules holds the packages (.ci/node-clients, installed by npm ci)
//   COMPAT_BASE_URL          the service's /v1 URL; must be on loopback, and nothing else is ever contacted
//   COMPAT_API_KEY           a key that opens /v1
//   COMPAT_MODELS            comma-separated models: expert ids, consilium/route, consilium/auto
//   COMPAT_EMBEDDING_MODELS  comma-separated models for the embeddings cases: embedding expert ids, consilium/route
//                            (optional; without it no embeddings case runs)
//   COMPAT_CASE_TIMEOUT_MS   the most one case may take (default 20000)
//   COMPAT_SUITE_TIMEOUT_MS  the most the whole run may take; then the results so far are printed (default 240000)
//
// Semantics checked (the service's documented contract): every model answers chat, streams, tool round trips and
// JSON; n = 2 gives two choices, except on consilium/auto, which answers a 400 naming n; a wrong key is a 401
// surfaced as the SDK's authentication error; an unknown model is a 404 model_not_found. An expert id and
// consilium/route relay the expert's stream as it comes, so their text arrives in more than one chunk (the experts
// the suite runs against stream word by word); consilium/auto may send a fused answer in one.
// Responses API: every model answers openai's responses.create plain and streamed (the event sequence from
// response.created to response.completed, whose output matches the streamed text) and a function call continued by
// previous_response_id; the AI SDK's default provider(id) (Responses) with generateText, streamText and a tool loop;
// LangChain's ChatOpenAI with useResponsesApi, invoked and streamed.
// Embeddings: every embedding model gives one unit-length vector per input, all of one size, whichever encoding the
// client asks for (openai and LangChain ask base64 and decode it, the AI SDK asks floats); a chat model asked for
// embeddings is a 400 naming model.
// Anthropic Messages (@anthropic-ai/sdk): every model answers a message, a stream (message_start … message_stop, the
// text as relayed above) and tool round trips (tool_use, then a tool_result), with the consilium object on the
// message; a wrong key is the SDK's AuthenticationError, an unknown model its NotFoundError, and an unsupported field
// (thinking) its BadRequestError, each with Anthropic's error body.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const AUTO = 'consilium/auto';
const BAD_MODEL = 'no-such-model';
const BAD_KEY = 'sk-compat-wrong-key-0000000000000000';
const CHAT_PROMPT = 'Say hello to a new colleague in one short sentence.';
const WEATHER_PROMPT = 'What is the weather in Paris right now? Use the get_weather tool.';
const JSON_PROMPT = 'Give a short weather report for Paris as JSON.';
const FORECAST = 'sunny';
const PACKAGES = ['openai', 'ai', '@ai-sdk/openai', '@langchain/openai', '@langchain/core', 'zod', '@anthropic-ai/sdk'];
const EMBED_TEXTS = ['The court ruled on the contract dispute.', 'A short poem about the sea.'];

// ---------------------------------------------------------------------------------------------------------------
// Set-up

function readEnvironment() {
  const missing = ['COMPAT_CLIENTS_DIR', 'COMPAT_BASE_URL', 'COMPAT_API_KEY', 'COMPAT_MODELS']
    .filter((name) => !process.env[name]);
  if (missing.length > 0) {
    fail(`compat.mjs needs ${missing.join(', ')} in its environment`);
  }
  return {
    clientsDir: path.resolve(process.env.COMPAT_CLIENTS_DIR),
    baseUrl: process.env.COMPAT_BASE_URL.replace(/\/+$/, ''),
    apiKey: process.env.COMPAT_API_KEY,
    models: process.env.COMPAT_MODELS.split(',').map((model) => model.trim()).filter(Boolean),
    embeddingModels: (process.env.COMPAT_EMBEDDING_MODELS ?? '').split(',').map((model) => model.trim()).filter(Boolean),
    caseTimeoutMs: Number(process.env.COMPAT_CASE_TIMEOUT_MS ?? 20000),
    suiteTimeoutMs: Number(process.env.COMPAT_SUITE_TIMEOUT_MS ?? 240000),
  };
}

/** Every SDK here sends through the global fetch; it is allowed to reach the service under test and nothing else. */
function guardNetwork(baseUrl) {
  const allowed = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(allowed.hostname)) {
    fail(`COMPAT_BASE_URL must be on loopback, but was ${baseUrl}`);
  }
  const send = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    if (target.origin !== allowed.origin) {
      return Promise.reject(new Error(`compat.mjs refused to send to ${target.origin}: only ${allowed.origin} is under test`));
    }
    return send(input, init);
  };
}

/**
 * The packages, from the given folder rather than from beside this script. A bare ESM import would search only
 * the folders above this file, so they are required through a require rooted in that folder. Every one of them
 * ships a CommonJS build, and loading all of them one way keeps one copy of each shared package (zod, @langchain/core).
 */
function loadPackages(dir) {
  const require = createRequire(path.join(dir, 'package.json'));
  const load = (name) => {
    try {
      return require(name);
    } catch (e) {
      fail(`cannot load ${name} from ${dir}/node_modules (run: npm ci --prefix ${dir}): ${e.message}`);
    }
  };
  const versions = {};
  for (const name of PACKAGES) {
    try {
      versions[name] = JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      fail(`${name} is not installed in ${dir}/node_modules (run: npm ci --prefix ${dir})`);
    }
  }
  return {
    versions,
    OpenAI: load('openai').OpenAI,
    zodResponseFormat: load('openai/helpers/zod').zodResponseFormat,
    ai: load('ai'),
    createOpenAI: load('@ai-sdk/openai').createOpenAI,
    ChatOpenAI: load('@langchain/openai').ChatOpenAI,
    OpenAIEmbeddings: load('@langchain/openai').OpenAIEmbeddings,
    HumanMessage: load('@langchain/core/messages').HumanMessage,
    langChainTool: load('@langchain/core/tools').tool,
    z: load('zod').z,
    Anthropic: load('@anthropic-ai/sdk').Anthropic,
  };
}

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(2);
}

let finished = false;

function finish(abortedBecause) {
  if (finished) {
    return;
  }
  finished = true;
  const output = {
    versions: lib.versions,
    results: [...results.openai, ...results['ai-sdk'], ...results.langchain, ...results.anthropic],
  };
  if (abortedBecause) {
    output.aborted = abortedBecause;
  }
  process.stdout.write(JSON.stringify(output) + '\n', () => process.exit(abortedBecause ? 3 : 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Running cases

class Mismatch extends Error {}

function expect(condition, message) {
  if (!condition) {
    throw new Mismatch(message);
  }
}

/** Runs one client's cases in order, each within its timeout; a case that fails or hangs never stops the next. */
async function lane(client, cases) {
  for (const { model, feature, run } of cases) {
    const controller = new AbortController();
    const started = Date.now();
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Mismatch(`no answer within ${env.caseTimeoutMs} ms`));
      }, env.caseTimeoutMs);
    });
    let entry;
    try {
      const detail = await Promise.race([run(controller.signal), timeout]);
      entry = { client, model, feature, ok: true, detail: clip(String(detail ?? '')) };
    } catch (e) {
      entry = { client, model, feature, ok: false, detail: clip(describe(e)) };
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    entry.ms = Date.now() - started;
    results[client].push(entry);
  }
}

function describe(error) {
  if (error instanceof Mismatch) {
    return error.message;
  }
  const status = error?.status ?? error?.statusCode;
  let text = `${error?.constructor?.name ?? 'Error'}${status ? ' ' + status : ''}: ${error?.message ?? String(error)}`;
  if (error?.cause?.message) {
    text += ` (cause: ${error.cause.message})`;
  }
  return text;
}

function clip(text) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 300 ? flat : flat.slice(0, 300) + '…';
}

function quote(text) {
  return JSON.stringify(clip(text).slice(0, 60));
}

function nonEmptyText(text, what) {
  expect(typeof text === 'string' && text.trim().length > 0, `${what} has no text: ${JSON.stringify(text)}`);
  return text;
}

function weather(city) {
  return { city, forecast: FORECAST, celsius: 21 };
}

/** An expert's stream, relayed as it comes, brings its text in several chunks; a fused one may come whole. */
function expectRelayed(model, textChunks) {
  expect(model === AUTO || textChunks >= 2, `the text came in ${textChunks} chunk(s), not relayed as the expert streamed it`);
}

function mentions(text) {
  return text.toLowerCase().includes(FORECAST) ? 'mentions the tool result' : 'does not mention the tool result';
}

function weatherReport(z) {
  return z.object({
    city: z.string(),
    celsius: z.number(),
    conditions: z.string(),
    rain_expected: z.boolean(),
  });
}

/** Vectors as embedding models give them: as many as the inputs, all of one size, unit length, finite numbers. */
function checkVectors(vectors, inputs) {
  expect(Array.isArray(vectors) && vectors.length === inputs, `expected ${inputs} vectors, got ${vectors?.length}`);
  const size = vectors[0]?.length;
  expect(size > 0, 'the first vector is empty');
  for (const [i, vector] of vectors.entries()) {
    expect(vector.length === size, `vector ${i} has ${vector.length} values where vector 0 has ${size}`);
    expect(Array.from(vector).every(Number.isFinite), `vector ${i} holds something other than finite numbers`);
    const norm = Math.sqrt(Array.from(vector).reduce((sum, value) => sum + value * value, 0));
    expect(Math.abs(norm - 1) < 1e-3, `vector ${i} has length ${norm.toFixed(4)}, not 1`);
  }
  return `${vectors.length} vector(s) of ${size} dimensions`;
}

/** Embeddings cases for every embedding model. */
function forEachEmbeddingModel(features) {
  const cases = [];
  for (const model of env.embeddingModels) {
    for (const [feature, run] of Object.entries(features)) {
      cases.push({ model, feature, run: (signal) => run(model, signal) });
    }
  }
  return cases;
}

/** Cases for every model, then the ones that need no model of the list. */
function forEachModel(features) {
  const cases = [];
  for (const model of env.models) {
    for (const [feature, run] of Object.entries(features)) {
      cases.push({ model, feature, run: (signal) => run(model, signal) });
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// openai

function openAiCases() {
  const { OpenAI, zodResponseFormat, z } = lib;
  const client = new OpenAI({ apiKey: env.apiKey, baseURL: env.baseUrl, maxRetries: 0, timeout: env.caseTimeoutMs });
  const tools = [{
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'The current weather in a city.',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', description: 'The city name.' } },
        required: ['city'],
        additionalProperties: false,
      },
    },
  }];
  const ask = (content) => [{ role: 'user', content }];

  /** The first answer must be a call of get_weather; its result goes back, and the second answer must be text. */
  const toolRoundTrip = async (model, signal, complete) => {
    const messages = ask(WEATHER_PROMPT);
    const first = await complete({ model, messages, tools });
    const choice = first.choices[0];
    const call = choice?.message?.tool_calls?.[0];
    expect(call?.function?.name === 'get_weather', `expected a call of get_weather, got ${JSON.stringify(choice?.message)}`);
    expect(choice.finish_reason === 'tool_calls', `finish_reason was ${choice.finish_reason}, not tool_calls`);
    const args = JSON.parse(call.function.arguments);
    expect(typeof args.city === 'string', `arguments have no string city: ${call.function.arguments}`);
    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: JSON.stringify(weather(args.city)) });
    const second = await complete({ model, messages, tools });
    const answer = second.choices[0]?.message;
    expect(!answer?.tool_calls?.length, `expected text after the tool result, got another call: ${JSON.stringify(answer)}`);
    const text = nonEmptyText(answer?.content, 'the answer to the tool result');
    return `called get_weather(${call.function.arguments}); final answer ${mentions(text)}: ${quote(text)}`;
  };

  const cases = forEachModel({
    chat: async (model, signal) => {
      const answer = await client.chat.completions.create({ model, messages: ask(CHAT_PROMPT) }, { signal });
      return quote(nonEmptyText(answer.choices[0]?.message?.content, 'the answer'));
    },
    stream: async (model, signal) => {
      const stream = client.chat.completions.stream(
        { model, messages: ask(CHAT_PROMPT), stream_options: { include_usage: true } }, { signal });
      let chunks = 0;
      let textChunks = 0;
      let text = '';
      let usage = null;
      for await (const chunk of stream) {
        chunks++;
        const piece = chunk.choices[0]?.delta?.content ?? '';
        textChunks += piece ? 1 : 0;
        text += piece;
        usage = chunk.usage ?? usage;
      }
      const whole = await stream.finalChatCompletion();
      nonEmptyText(text, 'the stream');
      expect(whole.choices[0]?.message?.content === text, 'the accumulated answer differs from the streamed text');
      expect(usage?.total_tokens > 0, `no usage chunk although stream_options.include_usage asked for one`);
      expectRelayed(model, textChunks);
      return `${chunks} chunks (${textChunks} with text), finish_reason ${whole.choices[0].finish_reason}, `
        + `${usage.total_tokens} tokens: ${quote(text)}`;
    },
    tools: (model, signal) => toolRoundTrip(model, signal,
      (body) => client.chat.completions.create(body, { signal })),
    tools_stream: (model, signal) => toolRoundTrip(model, signal,
      (body) => client.chat.completions.stream(body, { signal }).finalChatCompletion()),
    json_object: async (model, signal) => {
      const answer = await client.chat.completions.create(
        { model, messages: ask(JSON_PROMPT), response_format: { type: 'json_object' } }, { signal });
      const content = nonEmptyText(answer.choices[0]?.message?.content, 'the answer');
      const parsed = JSON.parse(content);
      expect(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed), `not a JSON object: ${content}`);
      return `object with ${Object.keys(parsed).join(', ') || 'no keys'}`;
    },
    json_schema: async (model, signal) => {
      const answer = await client.chat.completions.parse(
        { model, messages: ask(JSON_PROMPT), response_format: zodResponseFormat(weatherReport(z), 'weather_report') },
        { signal });
      const parsed = answer.choices[0]?.message?.parsed;
      expect(parsed, `nothing parsed from ${JSON.stringify(answer.choices[0]?.message)}`);
      return `parsed ${JSON.stringify(parsed)}`;
    },
    n: async (model, signal) => {
      if (model === AUTO) {
        try {
          await client.chat.completions.create({ model, n: 2, messages: ask(CHAT_PROMPT) }, { signal });
        } catch (e) {
          expect(e instanceof OpenAI.BadRequestError, `expected a 400, got ${describe(e)}`);
          expect(e.param === 'n', `the 400 names ${JSON.stringify(e.param)}, not n: ${e.message}`);
          return `400 naming n: ${e.message}`;
        }
        throw new Mismatch(`${AUTO} gave choices for n = 2 instead of a 400 naming n`);
      }
      const answer = await client.chat.completions.create({ model, n: 2, messages: ask(CHAT_PROMPT) }, { signal });
      expect(answer.choices.length === 2, `expected 2 choices, got ${answer.choices.length}`);
      answer.choices.forEach((choice, i) => nonEmptyText(choice.message?.content, `choice ${i}`));
      expect(answer.choices.map((choice) => choice.index).join() === '0,1', 'the choices are not indexed 0 and 1');
      return '2 choices';
    },
    responses: async (model, signal) => {
      const response = await client.responses.create({ model, input: CHAT_PROMPT }, { signal });
      expect(response.object === 'response' && response.status === 'completed',
        `object ${response.object}, status ${response.status}`);
      expect(response.usage?.total_tokens > 0, `no usage: ${JSON.stringify(response.usage)}`);
      expect(response.consilium?.experts?.length > 0, 'no consilium object with the experts that answered');
      return quote(nonEmptyText(response.output_text, 'the response'));
    },
    responses_stream: async (model, signal) => {
      const stream = await client.responses.create({ model, input: CHAT_PROMPT, stream: true }, { signal });
      const types = [];
      let text = '';
      let deltas = 0;
      let completed = null;
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'response.output_text.delta') {
          deltas++;
          text += event.delta;
        } else if (event.type === 'response.completed') {
          completed = event.response;
        }
      }
      expect(types[0] === 'response.created', `the first event is ${types[0]}, not response.created`);
      expect(types[types.length - 1] === 'response.completed', `the last event is ${types[types.length - 1]}`);
      nonEmptyText(text, 'the stream');
      const whole = completed.output.filter((item) => item.type === 'message')
        .flatMap((item) => item.content).map((part) => part.text).join('');
      expect(whole === text, 'the completed response differs from the streamed text');
      expect(completed.usage?.total_tokens > 0, 'no usage on response.completed');
      expectRelayed(model, deltas);
      return `${types.length} events (${deltas} text deltas), ${completed.usage.total_tokens} tokens: ${quote(text)}`;
    },
    responses_tools: async (model, signal) => {
      // The tool round trip as the Responses API runs it: the call's output continues the stored response.
      const responseTools = tools.map(({ function: fn }) => ({ type: 'function', strict: true, ...fn }));
      const first = await client.responses.create({ model, input: WEATHER_PROMPT, tools: responseTools }, { signal });
      const call = first.output.find((item) => item.type === 'function_call');
      expect(call?.name === 'get_weather', `expected a call of get_weather, got ${JSON.stringify(first.output)}`);
      const args = JSON.parse(call.arguments);
      const second = await client.responses.create({
        model, previous_response_id: first.id, tools: responseTools,
        input: [{ type: 'function_call_output', call_id: call.call_id, output: JSON.stringify(weather(args.city)) }],
      }, { signal });
      expect(!second.output.some((item) => item.type === 'function_call'), 'another call after the tool result');
      const text = nonEmptyText(second.output_text, 'the answer to the tool result');
      return `called get_weather(${call.arguments}); final answer ${mentions(text)}: ${quote(text)}`;
    },
    bad_key: async (model, signal) => {
      const stranger = new OpenAI({ apiKey: BAD_KEY, baseURL: env.baseUrl, maxRetries: 0, timeout: env.caseTimeoutMs });
      try {
        await stranger.chat.completions.create({ model, messages: ask(CHAT_PROMPT) }, { signal });
      } catch (e) {
        expect(e instanceof OpenAI.AuthenticationError, `expected AuthenticationError, got ${describe(e)}`);
        return `AuthenticationError ${e.status}`;
      }
      throw new Mismatch('a wrong key was answered');
    },
  });
  cases.push({
    model: BAD_MODEL, feature: 'bad_model', run: async (signal) => {
      try {
        await client.chat.completions.create({ model: BAD_MODEL, messages: ask(CHAT_PROMPT) }, { signal });
      } catch (e) {
        expect(e instanceof OpenAI.NotFoundError, `expected NotFoundError, got ${describe(e)}`);
        expect(e.code === 'model_not_found', `the 404's code is ${JSON.stringify(e.code)}, not model_not_found`);
        return `NotFoundError ${e.status} ${e.code}`;
      }
      throw new Mismatch('an unknown model was answered');
    },
  });
  cases.push(...forEachEmbeddingModel({
    // Without encoding_format the client asks for base64 and decodes it.
    embeddings: async (model, signal) => {
      const answer = await client.embeddings.create({ model, input: EMBED_TEXTS }, { signal });
      expect(answer.object === 'list', `object is ${answer.object}, not list`);
      expect(answer.usage?.prompt_tokens > 0, `no prompt tokens in the usage: ${JSON.stringify(answer.usage)}`);
      expect(answer.data.map((item) => item.index).join() === '0,1', 'the vectors are not indexed 0 and 1');
      return checkVectors(answer.data.map((item) => item.embedding), EMBED_TEXTS.length) + ` (base64), model ${answer.model}`;
    },
    embeddings_float: async (model, signal) => {
      const answer = await client.embeddings.create(
        { model, input: EMBED_TEXTS[0], encoding_format: 'float' }, { signal });
      return checkVectors(answer.data.map((item) => item.embedding), 1) + ' (float)';
    },
  }));
  if (env.embeddingModels.length > 0 && env.models.length > 0) {
    const chatModel = env.models[0];
    cases.push({
      model: chatModel, feature: 'embeddings_from_chat_model', run: async (signal) => {
        try {
          await client.embeddings.create({ model: chatModel, input: 'hello' }, { signal });
        } catch (e) {
          expect(e instanceof OpenAI.BadRequestError, `expected a 400, got ${describe(e)}`);
          expect(e.param === 'model', `the 400 names ${JSON.stringify(e.param)}, not model: ${e.message}`);
          return `400 naming model: ${e.message}`;
        }
        throw new Mismatch('a chat model answered an embeddings request');
      },
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// AI SDK

function aiSdkCases() {
  const { ai, createOpenAI, z } = lib;
  const { APICallError, generateText, streamText, generateObject, tool, stepCountIs } = ai;
  const provider = createOpenAI({ baseURL: env.baseUrl, apiKey: env.apiKey });
  // provider.chat(id) uses Chat Completions; provider(id), the AI SDK's default since v5, the Responses API.
  const chatModel = (id) => provider.chat(id);
  const responsesModel = (id) => provider(id);
  const settings = (signal) => ({ maxRetries: 0, abortSignal: signal });
  // The same stream and tool-loop checks for a model on either API.
  const streamCase = async (languageModel, model, signal) => {
    const errors = [];
    const result = streamText({
      model: languageModel, prompt: CHAT_PROMPT, ...settings(signal), onError: ({ error }) => errors.push(error),
    });
    let deltas = 0;
    let streamed = '';
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        deltas++;
        streamed += part.text;
      } else if (part.type === 'error') {
        errors.push(part.error);
      }
    }
    if (errors.length > 0) {
      throw errors[0];
    }
    nonEmptyText(streamed, 'the stream');
    const usage = await result.usage;
    const finishReason = await result.finishReason;
    expect(usage?.totalTokens > 0, `no usage reported: ${JSON.stringify(usage)}`);
    expect(finishReason === 'stop', `finish reason ${finishReason}, not stop`);
    expectRelayed(model, deltas);
    return `${deltas} text deltas, ${usage.totalTokens} tokens: ${quote(streamed)}`;
  };
  const toolLoopCase = async (languageModel, signal, { finishesWithStop }) => {
    const calls = [];
    const result = await generateText({
      model: languageModel,
      prompt: WEATHER_PROMPT,
      tools: {
        get_weather: tool({
          description: 'The current weather in a city.',
          inputSchema: z.object({ city: z.string().describe('The city name.') }),
          execute: async ({ city }) => {
            calls.push(city);
            return weather(city);
          },
        }),
      },
      stopWhen: stepCountIs(4),
      ...settings(signal),
    });
    expect(calls.length === 1, `get_weather ran ${calls.length} times, not once (steps: ${result.steps.length})`);
    expect(result.steps.length === 2, `expected 2 steps (call, answer), got ${result.steps.length}`);
    if (finishesWithStop) {
      expect(result.finishReason === 'stop', `the last step finished with ${result.finishReason}, not stop`);
    }
    const text = nonEmptyText(result.text, 'the final step');
    return `get_weather(${JSON.stringify(calls[0])}) ran; final answer ${mentions(text)}: ${quote(text)}`;
  };
  const expectStatus = (e, status) => {
    expect(APICallError.isInstance(e), `expected an APICallError, got ${describe(e)}`);
    expect(e.statusCode === status, `expected status ${status}, got ${e.statusCode}: ${e.message}`);
  };

  const cases = forEachModel({
    chat: async (model, signal) => {
      const { text } = await generateText({ model: chatModel(model), prompt: CHAT_PROMPT, ...settings(signal) });
      return quote(nonEmptyText(text, 'the answer'));
    },
    stream: (model, signal) => streamCase(chatModel(model), model, signal),
    tools: (model, signal) => toolLoopCase(chatModel(model), signal, { finishesWithStop: true }),
    json_schema: async (model, signal) => {
      const { object } = await generateObject({
        model: chatModel(model), schema: weatherReport(z), schemaName: 'weather_report', prompt: JSON_PROMPT,
        ...settings(signal),
      });
      return `object ${JSON.stringify(object)}`;
    },
    responses: async (model, signal) => {
      const { text, usage } = await generateText({ model: responsesModel(model), prompt: CHAT_PROMPT, ...settings(signal) });
      expect(usage?.totalTokens > 0, `no usage reported: ${JSON.stringify(usage)}`);
      return quote(nonEmptyText(text, 'the answer'));
    },
    responses_stream: (model, signal) => streamCase(responsesModel(model), model, signal),
    responses_tools: (model, signal) => toolLoopCase(responsesModel(model), signal, { finishesWithStop: false }),
    bad_key: async (model, signal) => {
      const stranger = createOpenAI({ baseURL: env.baseUrl, apiKey: BAD_KEY });
      try {
        await generateText({ model: stranger.chat(model), prompt: CHAT_PROMPT, ...settings(signal) });
      } catch (e) {
        expectStatus(e, 401);
        return `APICallError ${e.statusCode}`;
      }
      throw new Mismatch('a wrong key was answered');
    },
  });
  cases.push({
    model: BAD_MODEL, feature: 'bad_model', run: async (signal) => {
      try {
        await generateText({ model: chatModel(BAD_MODEL), prompt: CHAT_PROMPT, ...settings(signal) });
      } catch (e) {
        expectStatus(e, 404);
        const code = e.data?.error?.code;
        expect(code === 'model_not_found', `the 404's code is ${JSON.stringify(code)}, not model_not_found`);
        return `APICallError ${e.statusCode} ${code}`;
      }
      throw new Mismatch('an unknown model was answered');
    },
  });
  cases.push(...forEachEmbeddingModel({
    embed: async (model, signal) => {
      const { embedding, usage } = await ai.embed({ model: provider.embedding(model), value: EMBED_TEXTS[0], ...settings(signal) });
      expect(usage?.tokens > 0, `no tokens in the usage: ${JSON.stringify(usage)}`);
      return checkVectors([embedding], 1) + `, ${usage.tokens} tokens`;
    },
    embed_many: async (model, signal) => {
      const { embeddings } = await ai.embedMany({ model: provider.embedding(model), values: EMBED_TEXTS, ...settings(signal) });
      return checkVectors(embeddings, EMBED_TEXTS.length);
    },
  }));
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// LangChain

function langChainCases() {
  const { ChatOpenAI, OpenAIEmbeddings, HumanMessage, langChainTool, z } = lib;
  const chat = (model, apiKey = env.apiKey) => new ChatOpenAI({
    model, apiKey, configuration: { baseURL: env.baseUrl }, maxRetries: 0, timeout: env.caseTimeoutMs,
  });
  // useResponsesApi sends the same conversation to /v1/responses instead of /v1/chat/completions.
  const responsesChat = (model) => new ChatOpenAI({
    model, apiKey: env.apiKey, configuration: { baseURL: env.baseUrl }, maxRetries: 0, timeout: env.caseTimeoutMs,
    useResponsesApi: true,
  });
  const weatherTool = langChainTool(async ({ city }) => JSON.stringify(weather(city)), {
    name: 'get_weather',
    description: 'The current weather in a city.',
    schema: z.object({ city: z.string().describe('The city name.') }),
  });

  const cases = forEachModel({
    chat: async (model, signal) => {
      const answer = await chat(model).invoke(CHAT_PROMPT, { signal });
      return quote(nonEmptyText(answer.text, 'the answer'));
    },
    stream: async (model, signal) => {
      let chunks = 0;
      let textChunks = 0;
      let whole = null;
      for await (const chunk of await chat(model).stream(CHAT_PROMPT, { signal })) {
        chunks++;
        textChunks += chunk.text ? 1 : 0;
        whole = whole === null ? chunk : whole.concat(chunk);
      }
      const text = nonEmptyText(whole?.text, 'the stream');
      const tokens = whole.usage_metadata?.total_tokens;
      expect(tokens > 0, `no usage metadata: ${JSON.stringify(whole.usage_metadata)}`);
      expectRelayed(model, textChunks);
      return `${chunks} chunks (${textChunks} with text), ${tokens} tokens: ${quote(text)}`;
    },
    tools: async (model, signal) => {
      // The loop an agent runs: call the model, run the tools it asks for, send their results, until it answers.
      const bound = chat(model).bindTools([weatherTool]);
      const messages = [new HumanMessage(WEATHER_PROMPT)];
      const called = [];
      for (let round = 0; round < 4; round++) {
        const answer = await bound.invoke(messages, { signal });
        messages.push(answer);
        if (!answer.tool_calls?.length) {
          break;
        }
        for (const call of answer.tool_calls) {
          expect(call.name === 'get_weather', `called ${call.name}, not get_weather`);
          called.push(call.args);
          messages.push(await weatherTool.invoke(call));
        }
      }
      const last = messages[messages.length - 1];
      expect(called.length === 1, `get_weather was called ${called.length} times, not once`);
      expect(!last.tool_calls?.length, 'still calling tools after 4 rounds');
      const text = nonEmptyText(last.text, 'the answer to the tool result');
      return `get_weather(${JSON.stringify(called[0])}); final answer ${mentions(text)}: ${quote(text)}`;
    },
    json_schema: async (model, signal) => {
      const schema = weatherReport(z);
      const report = await chat(model).withStructuredOutput(schema, { name: 'weather_report' }).invoke(JSON_PROMPT, { signal });
      const checked = schema.safeParse(report);
      expect(checked.success, `not a weather report: ${JSON.stringify(report)}`);
      return `object ${JSON.stringify(report)}`;
    },
    responses: async (model, signal) => {
      const answer = await responsesChat(model).invoke(CHAT_PROMPT, { signal });
      return quote(nonEmptyText(answer.text, 'the answer'));
    },
    responses_stream: async (model, signal) => {
      let chunks = 0;
      let textChunks = 0;
      let whole = null;
      for await (const chunk of await responsesChat(model).stream(CHAT_PROMPT, { signal })) {
        chunks++;
        textChunks += chunk.text ? 1 : 0;
        whole = whole === null ? chunk : whole.concat(chunk);
      }
      const text = nonEmptyText(whole?.text, 'the stream');
      const tokens = whole.usage_metadata?.total_tokens;
      expect(tokens > 0, `no usage metadata: ${JSON.stringify(whole.usage_metadata)}`);
      expectRelayed(model, textChunks);
      return `${chunks} chunks (${textChunks} with text), ${tokens} tokens: ${quote(text)}`;
    },
    bad_key: async (model, signal) => {
      try {
        await chat(model, BAD_KEY).invoke(CHAT_PROMPT, { signal });
      } catch (e) {
        expect(e.lc_error_code === 'MODEL_AUTHENTICATION' && e.status === 401,
          `expected MODEL_AUTHENTICATION (401), got ${e.lc_error_code} ${describe(e)}`);
        return `${e.constructor.name} ${e.status} ${e.lc_error_code}`;
      }
      throw new Mismatch('a wrong key was answered');
    },
  });
  cases.push({
    model: BAD_MODEL, feature: 'bad_model', run: async (signal) => {
      try {
        await chat(BAD_MODEL).invoke(CHAT_PROMPT, { signal });
      } catch (e) {
        expect(e.lc_error_code === 'MODEL_NOT_FOUND' && e.status === 404,
          `expected MODEL_NOT_FOUND (404), got ${e.lc_error_code} ${describe(e)}`);
        expect(e.code === 'model_not_found', `the 404's code is ${JSON.stringify(e.code)}, not model_not_found`);
        return `${e.constructor.name} ${e.status} ${e.lc_error_code} ${e.code}`;
      }
      throw new Mismatch('an unknown model was answered');
    },
  });
  cases.push(...forEachEmbeddingModel({
    // OpenAIEmbeddings goes through the openai client, which asks for base64 and decodes it.
    embed_query: async (model) => {
      const embeddings = new OpenAIEmbeddings({ model, apiKey: env.apiKey, configuration: { baseURL: env.baseUrl },
        maxRetries: 0, timeout: env.caseTimeoutMs });
      return checkVectors([await embeddings.embedQuery(EMBED_TEXTS[0])], 1);
    },
    embed_documents: async (model) => {
      const embeddings = new OpenAIEmbeddings({ model, apiKey: env.apiKey, configuration: { baseURL: env.baseUrl },
        maxRetries: 0, timeout: env.caseTimeoutMs });
      return checkVectors(await embeddings.embedDocuments(EMBED_TEXTS), EMBED_TEXTS.length);
    },
  }));
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// @anthropic-ai/sdk, on /v1/messages (the SDK adds /v1/messages to the service's root; it sends the key as x-api-key)

function anthropicCases() {
  const { Anthropic } = lib;
  const client = new Anthropic({
    apiKey: env.apiKey, baseURL: env.baseUrl.replace(/\/v1$/, ''), maxRetries: 0, timeout: env.caseTimeoutMs,
  });
  const tools = [{
    name: 'get_weather',
    description: 'The current weather in a city.',
    input_schema: {
      type: 'object',
      properties: { city: { type: 'string', description: 'The city name.' } },
      required: ['city'],
    },
  }];
  const ask = (content) => [{ role: 'user', content }];
  const textOf = (message) => message.content.filter((block) => block.type === 'text').map((block) => block.text).join('');

  /** The first answer must use get_weather; its result goes back as a tool_result, and the second answer must be text. */
  const toolRoundTrip = async (model, create) => {
    const messages = ask(WEATHER_PROMPT);
    const first = await create({ model, max_tokens: 300, messages, tools });
    const use = first.content.find((block) => block.type === 'tool_use');
    expect(use?.name === 'get_weather', `expected a tool_use of get_weather, got ${JSON.stringify(first.content)}`);
    expect(first.stop_reason === 'tool_use', `stop_reason was ${first.stop_reason}, not tool_use`);
    expect(typeof use.input?.city === 'string', `input has no string city: ${JSON.stringify(use.input)}`);
    messages.push({ role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: JSON.stringify(weather(use.input.city)) }] });
    const second = await create({ model, max_tokens: 300, messages, tools });
    expect(!second.content.some((block) => block.type === 'tool_use'),
      `expected text after the tool result, got another tool_use: ${JSON.stringify(second.content)}`);
    const text = nonEmptyText(textOf(second), 'the answer to the tool result');
    return `used get_weather(${JSON.stringify(use.input)}); final answer ${mentions(text)}: ${quote(text)}`;
  };

  const cases = forEachModel({
    chat: async (model, signal) => {
      const message = await client.messages.create({ model, max_tokens: 300, messages: ask(CHAT_PROMPT) }, { signal });
      expect(message.type === 'message' && message.id.startsWith('msg_'), `not a message: ${JSON.stringify(message)}`);
      expect(message.stop_reason === 'end_turn', `stop_reason was ${message.stop_reason}, not end_turn`);
      expect(message.usage?.output_tokens > 0, `no output tokens in the usage: ${JSON.stringify(message.usage)}`);
      expect(Array.isArray(message.consilium?.experts), `no consilium metadata: ${JSON.stringify(message.consilium)}`);
      return quote(nonEmptyText(textOf(message), 'the answer'));
    },
    stream: async (model, signal) => {
      const stream = client.messages.stream({ model, max_tokens: 300, messages: ask(CHAT_PROMPT) }, { signal });
      const types = [];
      let textChunks = 0;
      let text = '';
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          textChunks++;
          text += event.delta.text;
        }
      }
      const whole = await stream.finalMessage();
      nonEmptyText(text, 'the stream');
      expect(types[0] === 'message_start' && types.at(-1) === 'message_stop',
        `the events ran ${types[0]} … ${types.at(-1)}, not message_start … message_stop`);
      expect(textOf(whole) === text, 'the accumulated message differs from the streamed text');
      expect(whole.stop_reason === 'end_turn', `stop_reason was ${whole.stop_reason}, not end_turn`);
      expectRelayed(model, textChunks);
      return `${types.length} events (${textChunks} text deltas), ${whole.usage.output_tokens} output tokens: ${quote(text)}`;
    },
    tools: (model, signal) => toolRoundTrip(model, (body) => client.messages.create(body, { signal })),
    tools_stream: (model, signal) => toolRoundTrip(model, (body) => client.messages.stream(body, { signal }).finalMessage()),
    bad_key: async (model, signal) => {
      const stranger = new Anthropic({
        apiKey: BAD_KEY, baseURL: env.baseUrl.replace(/\/v1$/, ''), maxRetries: 0, timeout: env.caseTimeoutMs,
      });
      try {
        await stranger.messages.create({ model, max_tokens: 50, messages: ask(CHAT_PROMPT) }, { signal });
      } catch (e) {
        expect(e instanceof Anthropic.AuthenticationError, `expected AuthenticationError, got ${describe(e)}`);
        expect(e.error?.error?.type === 'authentication_error', `the 401's body is ${JSON.stringify(e.error)}`);
        return `AuthenticationError ${e.status} ${e.error.error.type}`;
      }
      throw new Mismatch('a wrong key was answered');
    },
  });
  cases.push({
    model: BAD_MODEL, feature: 'bad_model', run: async (signal) => {
      try {
        await client.messages.create({ model: BAD_MODEL, max_tokens: 50, messages: ask(CHAT_PROMPT) }, { signal });
      } catch (e) {
        expect(e instanceof Anthropic.NotFoundError, `expected NotFoundError, got ${describe(e)}`);
        expect(e.error?.error?.type === 'not_found_error', `the 404's body is ${JSON.stringify(e.error)}`);
        return `NotFoundError ${e.status} ${e.error.error.type}`;
      }
      throw new Mismatch('an unknown model was answered');
    },
  });
  cases.push({
    model: env.models[0], feature: 'bad_field', run: async (signal) => {
      try {
        await client.messages.create({
          model: env.models[0], max_tokens: 2000, messages: ask(CHAT_PROMPT), thinking: { type: 'enabled', budget_tokens: 1024 },
        }, { signal });
      } catch (e) {
        expect(e instanceof Anthropic.BadRequestError, `expected BadRequestError, got ${describe(e)}`);
        expect(e.error?.error?.type === 'invalid_request_error' && e.error.error.message.includes('thinking'),
          `the 400's body is ${JSON.stringify(e.error)}`);
        return `BadRequestError ${e.status}: ${e.error.error.message}`;
      }
      throw new Mismatch('thinking was accepted although it is not supported');
    },
  });
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// The run (last, so that every class and binding above is initialised)

const env = readEnvironment();
// LangSmith tracing would send runs to its cloud; the suite talks to the service under test only.
process.env.LANGCHAIN_TRACING_V2 = 'false';
process.env.LANGSMITH_TRACING = 'false';
guardNetwork(env.baseUrl);
// Libraries that log to stdout must not corrupt the one JSON object printed there.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

const lib = loadPackages(env.clientsDir);
const results = { openai: [], 'ai-sdk': [], langchain: [], anthropic: [] };
const watchdog = setTimeout(() => finish('the suite took longer than ' + env.suiteTimeoutMs + ' ms'), env.suiteTimeoutMs);
watchdog.unref();

await Promise.all([
  lane('openai', openAiCases()),
  lane('ai-sdk', aiSdkCases()),
  lane('langchain', langChainCases()),
  lane('anthropic', anthropicCases()),
]);
finish(null);
