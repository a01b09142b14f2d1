package io.consilium.router.budgets;

/** The ledger contract in one process's memory. */
class InMemorySpendLedgerTest extends SpendLedgerContract {

    @Override
    protected SpendLedger newEmptyLedger() {
        return new InMemorySpendLedger();
    }
}
