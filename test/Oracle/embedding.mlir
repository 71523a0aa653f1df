// embedding gathers rows, embedding_grad scatter-adds them back; an index
// outside the table is an error, not a read out of bounds.
// RUN: mlc-oracle run %s --func lookup --set table=0,1,10,11,20,21 --set ids=2,0,2,1 | FileCheck %s --check-prefix=LOOKUP
// RUN: mlc-oracle run %s --func scatter --set ids=2,0,2,1 --set dy=1,2,3,4,5,6,7,8 | FileCheck %s --check-prefix=SCATTER
// RUN: not mlc-oracle run %s --func lookup --set table=0,1,10,11,20,21 --set ids=2,0,3,1 2>&1 | FileCheck %s --check-prefix=RANGE

// ids [[2,0],[2,1]] (N = 2) pick rows 2, 0, 2, 1 of the [3, 2] table.
// LOOKUP: result 0 e shape [2, 2, 2] values 20 21 0 1 20 21 10 11
// RANGE: error: mlc-oracle: index 3 is not in [0, 3)
func.func @lookup(%table: tensor<3x2xf32> {mlc.name = "table"}, %ids: tensor<?x2xi64> {mlc.name = "ids"})
    -> (tensor<?x2x2xf32> {mlc.name = "e"}) {
  %e = mlc.embedding %table, %ids : tensor<3x2xf32>, tensor<?x2xi64> -> tensor<?x2x2xf32>
  return %e : tensor<?x2x2xf32>
}

// Row 2 gets [1,2] + [5,6], row 0 [3,4], row 1 [7,8].
// SCATTER: result 0 dtable shape [3, 2] values 3 4 7 8 6 8
func.func @scatter(%ids: tensor<?x2xi64> {mlc.name = "ids"}, %dy: tensor<?x2x2xf32> {mlc.name = "dy"})
    -> (tensor<3x2xf32> {mlc.name = "dtable"}) {
  %d = mlc.embedding_grad %ids, %dy : tensor<?x2xi64>, tensor<?x2x2xf32> -> tensor<3x2xf32>
  return %d : tensor<3x2xf32>
}
