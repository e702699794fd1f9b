//! PoCo Boost through the [`Harness`]: `matchOrdersBoost` / `sponsorMatchOrdersBoost`,
//! `pushResultBoost` and `claimBoost`, each sent to the hub, applied to the model
//! ([`Model::match_boost`], [`Model::push_boost`], [`Model::claim_boost`]) and compared with
//! it as the classic operations are: outcome, revert data, every account, the task's status.

use alloy::{
    primitives::{Address, Bytes, B256, U256},
    signers::local::PrivateKeySigner,
    sol_types::SolCall,
};
use anyhow::{ensure, Result};
use poco_core::{
    eip712::{domain_separator, PocoStructHash},
    ids::{deal_id, task_id},
    orders::{matchOrdersBoostCall, sponsorMatchOrdersBoostCall},
    status::TaskStatusEnum,
};

use super::{authorize, events, no_enclave_sign, Harness, Sent, REFERENCE_RESULTS};
use crate::{
    bindings::{IBoostMatchEvents, IBoostPush, ITaskViews},
    market::{signed_orders, DealTerms},
};

impl Harness {
    /// The orders of `terms` with a fresh salt matched with `matchOrdersBoost` by the
    /// requester, or with `sponsorMatchOrdersBoost` by `sponsor`; the deal id when PoCo's
    /// rules accept the match (checked against the chain either way).
    pub async fn try_match_boost(&mut self, terms: &DealTerms, sponsor: Option<&PrivateKeySigner>) -> Result<(Option<B256>, Sent)> {
        let mut terms = terms.clone();
        terms.salt = B256::from(U256::from(self.next_salt));
        self.next_salt += 1;
        let o = signed_orders(&self.actors, &self.assets, self.chain_id, self.hub, &terms);
        let id = deal_id(&o._3.typed_data_hash(&domain_separator(self.chain_id, &self.hub)), &U256::ZERO);
        let (a, d, w, r) = (o._0, o._1, o._2, o._3);
        let (from, input) = match sponsor {
            None => (
                self.actors.requester.clone(),
                matchOrdersBoostCall { appOrder: a, datasetOrder: d, workerpoolOrder: w, requestOrder: r }.abi_encode(),
            ),
            Some(s) => (
                s.clone(),
                sponsorMatchOrdersBoostCall { appOrder: a, datasetOrder: d, workerpoolOrder: w, requestOrder: r }.abi_encode(),
            ),
        };
        let payer = from.address();
        let sent = self.send(&from, input.into()).await?;
        let deal = self.deal_model(&terms, payer, sent.time)?;
        let model = self.model.match_boost(id, deal, terms.trust);
        self.agree("matchOrdersBoost", &sent, &model)?;
        if !sent.ok() {
            return Ok((None, sent));
        }
        let notices = events::<IBoostMatchEvents::SchedulerNoticeBoost>(self.hub, &sent.receipt);
        ensure!(
            notices.len() == 1 && notices[0].dealId == id && notices[0].workerpool == self.assets.pool,
            "SchedulerNoticeBoost {notices:?}, expected deal {id}"
        );
        let sponsored = events::<IBoostMatchEvents::DealSponsoredBoost>(self.hub, &sent.receipt);
        let expected: Vec<(B256, Address)> = sponsor.map(|s| (id, s.address())).into_iter().collect();
        let seen: Vec<(B256, Address)> = sponsored.iter().map(|e| (e.dealId, e.sponsor)).collect();
        ensure!(seen == expected, "DealSponsoredBoost {seen:?}, expected {expected:?}");
        self.check().await?;
        Ok((Some(id), sent))
    }

    /// Worker `w` pushes the reference results for task `index` (0-based) of Boost deal
    /// `deal`, with the scheduler's authorization when `authorized`, else with a worker's.
    pub async fn push_boost(&mut self, w: usize, deal: B256, index: u64, authorized: bool) -> Result<Sent> {
        let worker = self.workers[w].clone();
        let task = task_id(&deal, &U256::from(index));
        let signer = if authorized { self.scheduler().clone() } else { worker.clone() };
        let call = IBoostPush::pushResultBoostCall {
            deal_id: deal,
            index: U256::from(index),
            results: Bytes::from(REFERENCE_RESULTS.as_bytes().to_vec()),
            results_callback: Bytes::new(),
            authorization_sign: authorize(&signer, worker.address(), task, Address::ZERO),
            enclave_challenge: Address::ZERO,
            enclave_sign: no_enclave_sign(),
        };
        let sent = self.send(&worker, call.abi_encode().into()).await?;
        let model = self.model.push_boost(deal, index, worker.address(), authorized, sent.time);
        self.agree("pushResultBoost", &sent, &model)?;
        if sent.ok() {
            let pushed = events::<IBoostPush::ResultPushedBoost>(self.hub, &sent.receipt);
            ensure!(
                pushed.len() == 1 && pushed[0].dealId == deal && pushed[0].index == U256::from(index),
                "ResultPushedBoost {pushed:?}"
            );
        }
        self.check_boost_task(task).await?;
        Ok(sent)
    }

    /// The app developer (anyone may) claims task `index` of Boost deal `deal`.
    pub async fn claim_boost(&mut self, deal: B256, index: u64) -> Result<Sent> {
        let task = task_id(&deal, &U256::from(index));
        let call = IBoostPush::claimBoostCall { deal_id: deal, index: U256::from(index) };
        let from = self.actors.app_dev.clone();
        let sent = self.send(&from, call.abi_encode().into()).await?;
        let model = self.model.claim_boost(deal, index, sent.time);
        self.agree("claimBoost", &sent, &model)?;
        if sent.ok() {
            let claimed = events::<crate::bindings::IPoco2::TaskClaimed>(self.hub, &sent.receipt);
            ensure!(claimed.len() == 1 && claimed[0].taskid == task, "TaskClaimed {claimed:?}");
        }
        self.check_boost_task(task).await?;
        Ok(sent)
    }

    /// Compares a Boost task's status (all Boost records of it) with the model, then every
    /// account ([`Harness::check`]).
    pub async fn check_boost_task(&self, id: B256) -> Result<()> {
        let p = self.as_(&self.actors.requester)?;
        let t = ITaskViews::new(self.hub, &p).viewTask(id).call().await?;
        let expected = self.model.boost_tasks.get(&id).copied().unwrap_or(TaskStatusEnum::UNSET);
        ensure!(t.status == expected.as_u8(), "Boost task {id}: chain status {}, model {expected:?}", t.status);
        self.check().await
    }
}
