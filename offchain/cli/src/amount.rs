//! Amounts as users type them: `5` (the base unit), `1.5 RLC`, `0.1 ether`.

use alloy::primitives::{utils::parse_units, U256};
use anyhow::{bail, Context, Result};

/// RLC's decimals: 1 RLC = 10^9 nRLC.
pub(crate) const RLC_DECIMALS: u8 = 9;

/// An RLC amount in nRLC: `AMOUNT [nRLC|RLC]`, default nRLC (as iExec's CLI).
pub(crate) fn parse_rlc(amount: &str, unit: Option<&str>) -> Result<U256> {
    let (number, unit) = split(amount, unit);
    let decimals = match unit.map(str::to_ascii_lowercase).as_deref() {
        None | Some("nrlc") => 0,
        Some("rlc") => RLC_DECIMALS,
        Some(other) => bail!("unknown RLC unit `{other}`: use nRLC or RLC"),
    };
    parse(number, decimals)
}

/// An ETH amount in wei: `AMOUNT [wei|gwei|ether]`, default wei (as iExec's CLI).
pub(crate) fn parse_eth(amount: &str, unit: Option<&str>) -> Result<U256> {
    let (number, unit) = split(amount, unit);
    let decimals = match unit.map(str::to_ascii_lowercase).as_deref() {
        None | Some("wei") => 0,
        Some("gwei") => 9,
        Some("eth" | "ether") => 18,
        Some(other) => bail!("unknown ETH unit `{other}`: use wei, gwei or ether"),
    };
    parse(number, decimals)
}

/// `"1.5RLC"` → (`"1.5"`, `"RLC"`), unless the unit is given apart.
fn split<'a>(amount: &'a str, unit: Option<&'a str>) -> (&'a str, Option<&'a str>) {
    if unit.is_some() {
        return (amount.trim(), unit);
    }
    let amount = amount.trim();
    match amount.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (amount[..i].trim(), Some(amount[i..].trim())),
        None => (amount, None),
    }
}

fn parse(number: &str, decimals: u8) -> Result<U256> {
    // alloy truncates extra decimals; an amount finer than the unit is a mistake.
    if let Some((_, fraction)) = number.split_once('.') {
        if fraction.trim_end_matches('0').len() > usize::from(decimals) {
            bail!("`{number}` has more than {decimals} decimals for its unit");
        }
    }
    let value = parse_units(number, decimals)
        .with_context(|| format!("`{number}` is not an amount (with at most {decimals} decimals)"))?;
    let value: U256 = value.into();
    Ok(value)
}

/// nRLC shown as RLC (`1.5 RLC`).
pub(crate) fn format_rlc(nrlc: U256) -> String {
    format!("{} RLC", alloy::primitives::utils::format_units(nrlc, RLC_DECIMALS).unwrap_or_else(|_| nrlc.to_string()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a panic here is a failed test

    use super::*;

    #[test]
    fn rlc_amounts_default_to_nrlc() {
        assert_eq!(parse_rlc("5", None).unwrap(), U256::from(5));
        assert_eq!(parse_rlc("1.5", Some("RLC")).unwrap(), U256::from(1_500_000_000u64));
        assert_eq!(parse_rlc("2RLC", None).unwrap(), U256::from(2_000_000_000u64));
        assert!(parse_rlc("1.5", None).is_err(), "nRLC has no decimals");
        assert!(parse_rlc("1", Some("ETH")).is_err());
        assert_eq!(format_rlc(U256::from(1_500_000_000u64)), "1.500000000 RLC");
    }

    #[test]
    fn eth_amounts_default_to_wei() {
        assert_eq!(parse_eth("7", None).unwrap(), U256::from(7));
        assert_eq!(parse_eth("1", Some("gwei")).unwrap(), U256::from(1_000_000_000u64));
        assert_eq!(parse_eth("0.5 ether", None).unwrap(), U256::from(500_000_000_000_000_000u64));
        assert!(parse_eth("x", None).is_err());
    }
}
