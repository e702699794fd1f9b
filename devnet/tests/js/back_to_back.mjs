// Drives the devnet with ethers v6 as a JavaScript dApp does: a default JsonRpcProvider
// (which caches identical requests for 250 ms), a Wallet and the node's own signer.
// Usage: node back_to_back.mjs <rpc url> <private key A> <private key B>
// Prints one JSON line with what it saw; exits non-zero on any unexpected answer.
import { JsonRpcProvider, Wallet, isError } from "ethers";

const [url, keyA, keyB] = process.argv.slice(2);
const provider = new JsonRpcProvider(url);
const to = Wallet.createRandom().address;
const fail = (why) => {
  console.error(why);
  process.exit(1);
};

// 1. A wallet sends, waits for the receipt, sends again: the nonce ethers asks for each
//    time must be fresh, not the cached answer of the previous send. ethers answers an
//    identical request from its cache for 250 ms, on any node: when a receipt comes back
//    sooner (a loaded machine, a block sealed right after the send), the next send would
//    reuse the cached nonce and be refused as "already known". A dApp that sends again
//    sooner needs ethers' NonceManager; this one lets the cache window pass, so the step
//    depends on the chain, not on the machine's timing.
const cacheWindow = () => new Promise((resolve) => setTimeout(resolve, 300));
const wallet = new Wallet(keyA, provider);
const nonces = [];
for (let i = 0; i < 3; i++) {
  const tx = await wallet.sendTransaction({ to, value: 1n });
  const receipt = await tx.wait();
  if (receipt.status !== 1) fail(`wallet transaction ${i} failed`);
  nonces.push(tx.nonce);
  await cacheWindow();
}
if (nonces.some((n, i) => i > 0 && n !== nonces[i - 1] + 1)) fail(`wallet nonces ${nonces}`);

// 2. The node's signer (eth_sendTransaction): several sent back to back without waiting,
//    then all mined.
const signer = await provider.getSigner(0);
const sent = [];
for (let i = 0; i < 3; i++) sent.push(await signer.sendTransaction({ to, value: 2n }));
const blocks = [];
for (const tx of sent) {
  const receipt = await tx.wait();
  if (receipt.status !== 1) fail("signer transaction failed");
  blocks.push(receipt.blockNumber);
}

// 3. A transaction with a nonce already used is refused in geth's words, which ethers
//    classifies as NONCE_EXPIRED.
const other = new Wallet(keyB, provider);
const nonce = await provider.getTransactionCount(other.address, "pending");
await (await other.sendTransaction({ to, value: 3n, nonce })).wait();
await cacheWindow();
let stale = null;
try {
  await other.sendTransaction({ to, value: 4n, nonce });
} catch (e) {
  stale = e;
}
if (!isError(stale, "NONCE_EXPIRED")) fail(`stale nonce not NONCE_EXPIRED: ${stale}`);

const balance = await provider.getBalance(to);
console.log(JSON.stringify({ nonces, blocks, stale: stale.code, balance: balance.toString() }));
