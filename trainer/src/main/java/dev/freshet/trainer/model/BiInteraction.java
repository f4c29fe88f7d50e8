package dev.freshet.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * NFM's Bi-Interaction pooling (He and Chua, 2017), an extra branch beside the interaction block:
 * every pair of field embeddings multiplied element-wise and summed, {@code Σ_{i<j} e_i ⊙ e_j}, in
 * O(F·d) as {@code ½ ((Σ_i e_i)² − Σ_i e_i²)}. It hands the MLP all second-order feature crosses in
 * one d-wide vector, which Meituan found worth its cost next to deep crosses. No parameters.
 */
final class BiInteraction {

    private BiInteraction() {}

    /**
     * @param fields [B, F, d] field embeddings
     * @return [B, d]
     */
    static NDArray forward(NDArray fields) {
        NDArray sumThenSquare = fields.sum(new int[] {1}).square();
        NDArray squareThenSum = fields.square().sum(new int[] {1});
        return sumThenSquare.sub(squareThenSum).mul(0.5f);
    }
}
