//! The goals panel: each of the scenario's expectations with whether it holds over the run
//! (by the engine's checker), and why not when it does not. A preset's goals are its story;
//! a link's goals make an exercise.

use std::rc::Rc;

use podsim::Trace;
use yew::prelude::*;

use crate::goals::{check, Checked, Goal};

#[derive(Properties)]
pub struct GoalsProps {
    pub trace: Rc<Trace>,
    pub goals: Vec<Goal>,
}

impl PartialEq for GoalsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.trace, &other.trace) && self.goals == other.goals
    }
}

#[function_component]
pub fn Goals(props: &GoalsProps) -> Html {
    let checked: Vec<Checked> = check(&props.trace, &props.goals);
    let holding = checked.iter().filter(|c| c.failure.is_none()).count();
    html! {
        <section class="goals" aria-label="Goals">
            <h2>{ format!("Goals: {holding} of {} hold", checked.len()) }</h2>
            <ul>
                { for checked.iter().map(|c| html! {
                    <li class={classes!("goal", if c.failure.is_none() { "holds" } else { "fails" })}>
                        <span class="verdict" aria-hidden="true">{ if c.failure.is_none() { "✓" } else { "✗" } }</span>
                        <code>{ &c.goal.text }</code>
                        if let Some(why) = &c.failure {
                            <span class="why-not">{ why }</span>
                        }
                    </li>
                }) }
            </ul>
        </section>
    }
}
