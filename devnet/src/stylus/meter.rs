//! The ink meter of a running program, as nitro keeps it: two globals of the instrumented
//! module (`stylus_ink_left`, `stylus_ink_status`) that the WASM code itself decrements block
//! by block and that hostios read and write around their own charges.

use wasmi::{AsContext, AsContextMut, Global, Val};

/// Why a charge could not be paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OutOfInk;

/// The meter's globals in one program instance.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MeterGlobals {
    pub(crate) ink_left: Global,
    pub(crate) ink_status: Global,
}

impl MeterGlobals {
    /// The ink left, or [`OutOfInk`] once the status says the program ran out.
    pub(crate) fn read(&self, ctx: impl AsContext) -> Result<u64, OutOfInk> {
        let status = self.ink_status.get(&ctx).i32().unwrap_or(1);
        if status != 0 {
            return Err(OutOfInk);
        }
        Ok(self.ink_left.get(&ctx).i64().map_or(0, |ink| ink as u64))
    }

    /// Stores the ink left, or the exhausted status (nitro's `MachineMeter::Exhausted`).
    pub(crate) fn write(&self, mut ctx: impl AsContextMut, ink: Result<u64, OutOfInk>) {
        let (left, status) = match ink {
            Ok(left) => (left, 0),
            Err(OutOfInk) => (0, 1),
        };
        // Both globals are mutable and of these types by construction of the instrumented
        // module, so setting them cannot fail.
        let _ = self.ink_left.set(&mut ctx, Val::I64(left as i64));
        let _ = self.ink_status.set(&mut ctx, Val::I32(status));
    }
}

/// Ink being spent by a hostio, with the chain's ink price for gas conversions.
#[derive(Debug)]
pub(crate) struct Ink {
    left: u64,
    price: u64,
}

impl Ink {
    pub(crate) fn new(left: u64, price: u64) -> Self {
        Self { left, price: price.max(1) }
    }

    /// Ink left.
    pub(crate) fn left(&self) -> u64 {
        self.left
    }

    /// Pays `ink` (nitro `buy_ink`); running short exhausts the meter.
    pub(crate) fn buy(&mut self, ink: u64) -> Result<(), OutOfInk> {
        if self.left < ink {
            self.left = 0;
            return Err(OutOfInk);
        }
        self.left -= ink;
        Ok(())
    }

    /// Pays `gas` at the ink price (nitro `buy_gas`).
    pub(crate) fn buy_gas(&mut self, gas: u64) -> Result<(), OutOfInk> {
        self.buy(gas.saturating_mul(self.price))
    }

    /// Fails unless `gas` could be paid, paying nothing (nitro `require_gas`).
    pub(crate) fn require_gas(&mut self, gas: u64) -> Result<(), OutOfInk> {
        if self.left < gas.saturating_mul(self.price) {
            self.left = 0;
            return Err(OutOfInk);
        }
        Ok(())
    }

    /// Gas left, rounded down (nitro `ink_to_gas`).
    pub(crate) fn gas_left(&self) -> u64 {
        self.left / self.price
    }

    /// Gas worth `ink`, rounded down.
    pub(crate) fn ink_to_gas(&self, ink: u64) -> u64 {
        ink / self.price
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buying_more_than_is_left_exhausts() {
        let mut ink = Ink::new(25_000, 10_000);
        assert_eq!(ink.gas_left(), 2);
        assert_eq!(ink.buy_gas(2), Ok(()));
        assert_eq!(ink.left(), 5_000);
        assert_eq!(ink.require_gas(1), Err(OutOfInk));
        assert_eq!(ink.left(), 0);
    }
}
