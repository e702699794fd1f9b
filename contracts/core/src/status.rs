//! PoCo's enums (`OrderOperationEnum`, `TaskStatusEnum`, `ContributionStatusEnum`) as Rust
//! enums with PoCo's discriminants. In the ABI they are `uint8`; conversion from `u8` rejects
//! values PoCo's Solidity would reject when decoding the enum.

use core::fmt;

/// A `u8` that is not a variant of the named PoCo enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownEnumValue {
    /// The enum's PoCo name.
    pub name: &'static str,
    /// The rejected value.
    pub value: u8,
}

impl fmt::Display for UnknownEnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} has no variant {}", self.name, self.value)
    }
}

macro_rules! poco_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[allow(clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[repr(u8)]
        pub enum $name {
            $( $(#[$vmeta])* $variant = $value ),+
        }

        impl $name {
            /// Every variant, in discriminant order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The variant with discriminant `value`, or `None` if there is none.
            pub const fn from_u8(value: u8) -> Option<Self> {
                match value {
                    $( $value => Some(Self::$variant), )+
                    _ => None,
                }
            }

            /// The discriminant, as stored and ABI-encoded.
            pub const fn as_u8(self) -> u8 {
                self as u8
            }
        }

        impl From<$name> for u8 {
            fn from(v: $name) -> u8 {
                v as u8
            }
        }

        impl TryFrom<u8> for $name {
            type Error = UnknownEnumValue;
            fn try_from(value: u8) -> Result<Self, UnknownEnumValue> {
                Self::from_u8(value).ok_or(UnknownEnumValue { name: stringify!($name), value })
            }
        }
    };
}

poco_enum! {
    /// What a signed `*OrderOperation` does to its order.
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, OrderOperationEnum
    OrderOperationEnum {
        /// Presign the order: `m_presigned[orderHash] = owner`.
        #[default]
        SIGN = 0,
        /// Close (cancel) the order: `m_consumed[orderHash] = order.volume`.
        CLOSE = 1,
    }
}

poco_enum! {
    /// Life cycle of a task: UNSET → ACTIVE → REVEALING → COMPLETED | FAILED.
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, TaskStatusEnum
    TaskStatusEnum {
        /// Not initialized.
        #[default]
        UNSET = 0,
        /// Initialized, accepting contributions.
        ACTIVE = 1,
        /// Consensus reached, accepting reveals.
        REVEALING = 2,
        /// Finalized: results stored, rewards paid.
        COMPLETED = 3,
        /// Claimed after the final deadline: sponsor refunded.
        FAILED = 4,
    }
}

poco_enum! {
    /// Life cycle of a worker's contribution: UNSET → CONTRIBUTED → PROVED | REJECTED.
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, ContributionStatusEnum
    ContributionStatusEnum {
        /// No contribution.
        #[default]
        UNSET = 0,
        /// Contributed a result hash.
        CONTRIBUTED = 1,
        /// Revealed the consensus result.
        PROVED = 2,
        /// Rejected by `reopen` (agreed on a consensus nobody revealed).
        REJECTED = 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discriminants_are_pocos() {
        assert_eq!(u8::from(OrderOperationEnum::CLOSE), 1);
        assert_eq!(TaskStatusEnum::FAILED.as_u8(), 4);
        assert_eq!(ContributionStatusEnum::REJECTED.as_u8(), 3);
        for (i, v) in TaskStatusEnum::ALL.iter().enumerate() {
            assert_eq!(v.as_u8() as usize, i);
        }
    }

    #[test]
    fn conversion_round_trips_and_rejects_unknown_values() {
        for value in 0..=u8::MAX {
            let expect_ok = |n: usize| (value as usize) < n;
            match OrderOperationEnum::try_from(value) {
                Ok(v) => {
                    assert!(expect_ok(2));
                    assert_eq!(v.as_u8(), value);
                }
                Err(e) => {
                    assert!(!expect_ok(2));
                    assert_eq!(
                        e,
                        UnknownEnumValue {
                            name: "OrderOperationEnum",
                            value
                        }
                    );
                }
            }
            assert_eq!(TaskStatusEnum::try_from(value).is_ok(), expect_ok(5));
            assert_eq!(
                ContributionStatusEnum::from_u8(value).is_some(),
                expect_ok(4)
            );
        }
        assert_eq!(
            alloc::string::ToString::to_string(&TaskStatusEnum::try_from(9).unwrap_err()),
            "TaskStatusEnum has no variant 9"
        );
    }
}
